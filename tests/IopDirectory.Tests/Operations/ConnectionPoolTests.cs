using IopDirectory.Operations;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>The API's pool is small unless told otherwise (Operations/ConnectionDefaults): a setting or the connection string wins.</summary>
public sealed class ConnectionPoolTests
{
    private static int PoolSize(string connectionString, int? setting = null) =>
        new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(connectionString, new DatabaseFaultOptions { MaxPoolSize = setting })).MaxPoolSize;

    [Fact]
    public void Without_a_setting_the_pool_holds_the_cores_plus_one() =>
        Assert.Equal(Environment.ProcessorCount + 1, PoolSize("Host=localhost;Database=iop"));

    [Fact]
    public void The_setting_sizes_the_pool() =>
        Assert.Equal(3, PoolSize("Host=localhost;Database=iop", setting: 3));

    [Theory]
    [InlineData("Host=localhost;Maximum Pool Size=50")]
    [InlineData("Host=localhost;maxpoolsize=50")]
    public void A_pool_size_in_the_connection_string_wins(string connectionString) =>
        Assert.Equal(50, PoolSize(connectionString, setting: 3));
}
