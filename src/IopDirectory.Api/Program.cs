using IopDirectory.Auth;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Partners;
using IopDirectory.Partners.Embed;
using IopDirectory.Operations;
using IopDirectory.Seeding;
using Microsoft.EntityFrameworkCore;

// Commands other than serving: `migrate`, `seed`, `seed-synthetic COUNT [SEED]`, `dev-token` (see README).
var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=')) ?? "serve";
var builder = WebApplication.CreateBuilder(args);
// Bulk loads and migrations may run long: the statement timeout is for serving requests.
if (command != "serve") builder.Configuration["Database:StatementTimeoutSeconds"] = "0";
builder.AddOperations();
builder.AddDirectoryDatabase();
builder.AddDirectoryAuth();
builder.Services.AddDirectoryGraphQL(builder.Configuration);
IopDirectory.Editing.Freshness.Configure(builder.Configuration);

var app = builder.Build();

switch (command)
{
    case "serve":
        app.UseOperations();
        app.UseAuthentication();
        app.UsePartnerKeys();
        app.MapGraphQLEndpoint("/graphql");
        app.MapEmbed(app.Environment.IsDevelopment());
        app.MapHealth();
        app.MapGet("/", () => Results.Redirect("/graphql"));
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetService<EmbeddedPostgres>()?.StopAsync().GetAwaiter().GetResult());
        await app.RunAsync();
        return 0;
    case "migrate":
    case "seed":
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            await db.Database.MigrateAsync();
            Console.Error.WriteLine("Database migrated.");
            if (command == "seed")
            {
                var inserted = await Seeder.SeedSampleAsync(db, Seeder.FindSampleFile(), CancellationToken.None);
                Console.Error.WriteLine(inserted > 0 ? $"Seeded {inserted} sample centres." : "Sample data already present; nothing to seed.");
            }
        }
        return 0;
    case "seed-synthetic":
        var count = int.Parse(args.ElementAtOrDefault(Array.IndexOf(args, command) + 1) ?? "100000");
        var seed = int.Parse(args.ElementAtOrDefault(Array.IndexOf(args, command) + 2) ?? "42");
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            await db.Database.MigrateAsync();
            await Seeder.SeedSyntheticAsync(db.Database.GetConnectionString()!, count, seed, CancellationToken.None);
        }
        return 0;
    case "dev-token":
        // dev-token --role HOTLINE [--role ADMIN] [--name alice] [--hours 8]
        var roles = args.Select((a, i) => (a, i)).Where(x => x.a == "--role").Select(x => args.ElementAtOrDefault(x.i + 1)?.ToUpperInvariant() ?? "").ToList();
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r)))
        {
            Console.Error.WriteLine($"Usage: dev-token --role ROLE [--role ROLE] [--name NAME] [--hours N]; roles: {string.Join(", ", Roles.All)}.");
            return 2;
        }
        var name = args.SkipWhile(a => a != "--name").Skip(1).FirstOrDefault() ?? "developer";
        var hours = double.Parse(args.SkipWhile(a => a != "--hours").Skip(1).FirstOrDefault() ?? "8", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine(AuthSetup.MintToken(app.Services.GetRequiredService<AuthOptions>(), name, roles, TimeSpan.FromHours(hours)));
        return 0;
    case "partner":
        // partner create --name NAME --origin https://... (prints the new API key once; see README "Partner sites")
        return await PartnerCommands.RunAsync(app.Services, args);
    case "import":
    case "export":
        // import samhsa-csv|samhsa-json|hsds PATH [--batch-size N], export hsds PATH (see Importing/README.md)
        return await IopDirectory.Importing.ImportCommands.RunAsync(app.Services, args, command);
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: serve (default), migrate, seed, seed-synthetic COUNT [SEED], dev-token --role ROLE, {PartnerCommands.Usage}, "
            + $"{IopDirectory.Importing.ImportCommands.Usage}.");
        return 2;
}

public partial class Program;
