using IopDirectory.Data;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Partners;

/// <summary>
/// First set-up without an admin token: <c>partner create --name NAME --origin https://... [--origin ...] [--state AZ]
/// [--trusted-documents]</c> migrates the database, adds the partner and prints its API key once (stdout, nothing else).
/// </summary>
public static class PartnerCommands
{
    public const string Usage = "partner create --name NAME [--origin URL]... [--state XX] [--trusted-documents]";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var rest = args.SkipWhile(a => a != "partner").Skip(1).ToList();
        if (rest.FirstOrDefault() != "create" || Option(rest, "--name") is not { Length: > 0 } name)
        {
            Console.Error.WriteLine($"Usage: {Usage}");
            return 2;
        }
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        await db.Database.MigrateAsync();
        var input = new PartnerInput
        {
            Name = name,
            Origins = rest.Select((a, i) => (a, i)).Where(x => x.a == "--origin").Select(x => rest.ElementAtOrDefault(x.i + 1) ?? "").ToList(),
            DefaultState = Option(rest, "--state"),
            TrustedDocumentsOnly = rest.Contains("--trusted-documents"),
        };
        try
        {
            var (partner, key) = await PartnerOperations.CreateAsync(db, input, TimeProvider.System, CancellationToken.None);
            Console.Error.WriteLine($"Partner '{partner.Name}' created (id {GraphQL.GlobalId.Encode(PartnerType.TypeName, partner.Id)}), origins: "
                + (partner.Origins.Count == 0 ? "none (browsers are refused until you add one)" : string.Join(", ", partner.Origins))
                + ". Its API key, shown this once:");
            Console.WriteLine(key);
            return 0;
        }
        catch (DirectoryValidationException e)
        {
            foreach (var error in e.Errors) Console.Error.WriteLine(error.Message);
            return 2;
        }
    }

    private static string? Option(List<string> args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
