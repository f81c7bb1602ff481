using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IopDirectory.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DirectoryDbContext>
{
    public DirectoryDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), "Host=localhost").Options);
}
