namespace IopDirectory.Editing;

/// <summary>
/// When a listing counts as stale: never verified, or last verified more than <see cref="StaleAfterDays"/> days ago
/// (setting <c>Directory:StaleAfterDays</c>, default 180, read once at start-up).
/// </summary>
public static class Freshness
{
    public const int DefaultStaleAfterDays = 180;

    public static int StaleAfterDays { get; private set; } = DefaultStaleAfterDays;

    public static void Configure(IConfiguration configuration)
    {
        var days = configuration.GetValue("Directory:StaleAfterDays", DefaultStaleAfterDays);
        if (days is < 1 or > 36500)
            throw new InvalidOperationException($"Directory:StaleAfterDays must be between 1 and 36500 (got {days}).");
        StaleAfterDays = days;
    }

    public static DateTimeOffset StaleCutoff(TimeProvider clock) => clock.GetUtcNow().AddDays(-StaleAfterDays);

    public static bool IsStale(DateTimeOffset? lastVerifiedAt, TimeProvider clock) =>
        lastVerifiedAt is not { } verified || verified < StaleCutoff(clock);
}

/// <summary>What <c>Center.verification</c> returns.</summary>
public sealed record Verification(DateTimeOffset? LastVerifiedAt, string? Source, bool Stale, int StaleAfterDays);
