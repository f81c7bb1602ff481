using System.Security.Cryptography;
using System.Text;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Importing;

/// <summary>
/// One row of a source file, mapped: the centre it describes and the parts of it the source speaks for, or why the row
/// cannot be imported. <see cref="Position"/> is the row's line (CSV) or index (JSON), for the report.
/// </summary>
public sealed record ImportCandidate(int Position, Center? Center, Owned Owned, string? Rejection = null)
{
    public static ImportCandidate Reject(int position, string reason) => new(position, null, Owned.None, reason);

    /// <summary>Routes of <see cref="Center"/> that ring another centre, named by its (source, source id).</summary>
    public IReadOnlyDictionary<CallRoute, (string Source, string SourceId)> OtherDestinations { get; init; } =
        new Dictionary<CallRoute, (string Source, string SourceId)>();
}

public sealed class ImportSettings
{
    public int BatchSize { get; init; } = 500;
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>For tests: runs inside each batch's transaction after its writes and before its commit (batches count from 1).</summary>
    internal Func<int, Task>? BeforeCommit { get; init; }
}

/// <summary>
/// Writes mapped rows as centres, keyed by (source, source id): a new key is inserted, a known one updated when the
/// parts its source owns differ and left alone when they do not, so running an import twice changes nothing the
/// second time. Rows are written in batches, each one transaction with its audit entries (the context's
/// <see cref="DirectoryDbContext.Actor"/>): a failure loses at most the batch in flight, and a rerun completes it.
/// Every rule of the model is checked row by row first, so one bad row is rejected instead of failing its batch.
/// </summary>
public sealed class CenterImporter(DbContextOptions<DirectoryDbContext> options, string actor, ImportSettings settings)
{
    /// <param name="where">How the report names a row: "line 12", "rows[3]".</param>
    /// <param name="sameKey">What two rows with one key share, for the report: "name and address", "frid".</param>
    public async Task RunAsync(IAsyncEnumerable<ImportCandidate> candidates, ImportReport report, Func<int, string> where, string sameKey,
        ImportProgress? progress, CancellationToken cancellationToken)
    {
        // Keys seen in this file (64 bits of SHA-256: a million rows cost ~40 MB), with the first row's position and facts.
        var seen = new Dictionary<ulong, (int Position, int Facts)>();
        var batch = new List<ImportCandidate>(settings.BatchSize);
        var rows = 0;
        var batches = 0;
        await foreach (var candidate in candidates.WithCancellation(cancellationToken))
        {
            rows++;
            if (Problem(candidate) is { } problem)
                report.Rejected.Add(new(where(candidate.Position), problem));
            else
            {
                var center = candidate.Center!;
                var facts = CenterMerge.Facts(center, candidate.Owned).GetHashCode(StringComparison.Ordinal);
                var key = Key(center.Source, center.SourceId);
                if (!seen.TryAdd(key, (candidate.Position, facts)))
                {
                    var first = seen[key];
                    report.Rejected.Add(new(where(candidate.Position), first.Facts == facts
                        ? $"repeats {where(first.Position)} (same {sameKey}, same details)"
                        : $"same {sameKey} as {where(first.Position)} but different details; the first is kept"));
                }
                else batch.Add(candidate);
            }
            if (batch.Count >= settings.BatchSize)
            {
                await WriteBatchAsync(batch, ++batches, report, where, cancellationToken);
                batch.Clear();
            }
            progress?.Report(rows);
        }
        if (batch.Count > 0) await WriteBatchAsync(batch, ++batches, report, where, cancellationToken);
        progress?.Report(rows, final: true);
    }

    private static ulong Key(string source, string sourceId) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\u001f" + sourceId)));

    private async Task WriteBatchAsync(List<ImportCandidate> batch, int number, ImportReport report, Func<int, string> where,
        CancellationToken cancellationToken)
    {
        await using var db = new DirectoryDbContext(options) { Actor = actor };
        // Changes are detected once per save, not on every look at the change tracker: the audit trail looks up each
        // new track's and session's parent there, and with automatic detection each look rescans the whole batch.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = settings.Clock.GetUtcNow();
        var existing = await LoadExistingAsync(db, batch, cancellationToken);
        var rejected = new List<Rejection>();
        var accepted = await ResolveRoutesAsync(db, batch, existing, rejected, where, cancellationToken);

        var (inserted, updated, unchanged) = (new List<(Center Center, List<CallRoute> Routes)>(), 0, 0);
        foreach (var candidate in accepted)
        {
            var incoming = candidate.Center!;
            if (existing.TryGetValue((incoming.Source, incoming.SourceId), out var current))
            {
                if (CenterMerge.Facts(current, candidate.Owned) == CenterMerge.Facts(incoming, candidate.Owned))
                {
                    unchanged++;
                    continue;
                }
                CenterMerge.Apply(db, current, incoming, candidate.Owned);
                current.UpdatedAt = now;
                updated++;
            }
            else
            {
                // Routes name their centre's id, which the database assigns: centres first, routes once they have ids.
                inserted.Add((incoming, incoming.CallRoutes));
                incoming.CallRoutes = [];
                incoming.UpdatedAt = now;
                db.Centers.Add(incoming);
            }
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        if (inserted.Any(i => i.Routes.Count > 0))
        {
            foreach (var (center, routes) in inserted)
                foreach (var route in routes)
                {
                    if (route.DestinationKind == RouteDestinationKind.Facility) route.DestinationCenterId ??= center.Id;
                    center.CallRoutes.Add(route);
                }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
        if (settings.BeforeCommit is { } beforeCommit) await beforeCommit(number);
        await transaction.CommitAsync(cancellationToken);

        report.Inserted += inserted.Count;
        report.Updated += updated;
        report.Unchanged += unchanged;
        report.Rejected.AddRange(rejected);
    }

    private static async Task<Dictionary<(string Source, string SourceId), Center>> LoadExistingAsync(DirectoryDbContext db,
        List<ImportCandidate> batch, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<(string, string), Center>();
        foreach (var group in batch.GroupBy(c => c.Center!.Source))
        {
            var source = group.Key;
            var ids = group.Select(c => c.Center!.SourceId).ToList();
            var owned = group.Aggregate(Owned.None, (all, c) => all | c.Owned);
            IQueryable<Center> query = db.Centers.Where(c => c.Source == source && ids.Contains(c.SourceId));
            if (owned.HasFlag(Owned.Phones)) query = query.Include(c => c.Phones);
            if (owned == Owned.Everything)
                query = query
                    .Include(c => c.InsurancePlans)
                    .Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
                    .Include(c => c.CallRoutes).ThenInclude(r => r.Hours);
            foreach (var center in await query.AsSplitQuery().ToListAsync(cancellationToken))
                existing[(center.Source, center.SourceId)] = center;
        }
        return existing;
    }

    /// <summary>
    /// Gives routes that ring another centre that centre's id, and keeps the routing rules: a row is rejected when one
    /// of its routes rings a centre not in the database yet, shows a number another listing shows, or when it drops a
    /// route that routing decisions on record refer to (the log keeps its routes).
    /// </summary>
    private static async Task<List<ImportCandidate>> ResolveRoutesAsync(DirectoryDbContext db, List<ImportCandidate> batch,
        Dictionary<(string Source, string SourceId), Center> existing, List<Rejection> rejected, Func<int, string> where,
        CancellationToken cancellationToken)
    {
        Center? Current(ImportCandidate c) => existing.GetValueOrDefault((c.Center!.Source, c.Center.SourceId));
        var drops = batch.Where(c => c.Owned == Owned.Everything)
            .SelectMany(c => (Current(c)?.CallRoutes ?? []).Where(r => c.Center!.CallRoutes.All(n => n.Number != r.Number)).Select(r => (c, r)))
            .ToList();
        var droppedIds = drops.Select(d => d.r.Id).ToList();
        var logged = droppedIds.Count == 0 ? [] : (await db.RoutingDecisions.Where(d => droppedIds.Contains(d.CallRouteId))
            .Select(d => d.CallRouteId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var keepsLogged = drops.Where(d => logged.Contains(d.r.Id)).GroupBy(d => d.c).ToDictionary(g => g.Key, g => g.First().r.Number);

        var numbers = batch.SelectMany(c => c.Center!.CallRoutes.Select(r => r.Number)).ToList();
        if (numbers.Count == 0 && keepsLogged.Count == 0) return batch;
        var shownOn = await db.CallRoutes.Where(r => numbers.Contains(r.Number)).ToDictionaryAsync(r => r.Number, r => r.CenterId, cancellationToken);
        var targets = new Dictionary<(string Source, string SourceId), int>();
        foreach (var group in batch.SelectMany(c => c.OtherDestinations.Values).Distinct().GroupBy(k => k.Source))
        {
            var source = group.Key;
            var ids = group.Select(k => k.SourceId).ToList();
            foreach (var found in await db.Centers.Where(c => c.Source == source && ids.Contains(c.SourceId))
                         .Select(c => new { c.SourceId, c.Id }).ToListAsync(cancellationToken))
                targets[(source, found.SourceId)] = found.Id;
        }

        var claimed = new HashSet<string>();
        string? Problem(ImportCandidate candidate)
        {
            if (keepsLogged.TryGetValue(candidate, out var kept))
                return $"call route {kept} is not in the file, but routing decisions on record refer to it, so it cannot be removed";
            foreach (var route in candidate.Center!.CallRoutes)
            {
                if (shownOn.TryGetValue(route.Number, out var listing) && (listing is null || listing != Current(candidate)?.Id))
                    return $"call route {route.Number} is already shown on another listing";
                if (!claimed.Add(route.Number))
                    return $"call route {route.Number} is also shown by an earlier row of this batch";
                if (!candidate.OtherDestinations.TryGetValue(route, out var target)) continue;
                if (!targets.TryGetValue(target, out var id))
                    return $"call route {route.Number} rings centre {target.Source}:{target.SourceId}, which is not in the database yet "
                        + "(import it first; a rerun will)";
                route.DestinationCenterId = id;
            }
            return null;
        }

        var accepted = new List<ImportCandidate>();
        foreach (var candidate in batch)
        {
            if (Problem(candidate) is { } problem) rejected.Add(new(where(candidate.Position), problem));
            else accepted.Add(candidate);
        }
        return accepted;
    }

    /// <summary>Why a mapped row cannot be written: the source's own reason, or the first rule of the model it breaks.</summary>
    private static string? Problem(ImportCandidate candidate)
    {
        if (candidate.Rejection is not null) return candidate.Rejection;
        var center = candidate.Center ?? throw new ArgumentException("A candidate has a centre or a rejection.", nameof(candidate));
        var error = Validate(center).FirstOrDefault();
        return error is null ? null : $"{error.Field}: {error.Message}";
    }

    /// <summary>Every rule SaveChanges would check, plus the column lengths the database would refuse.</summary>
    public static IEnumerable<ValidationError> Validate(Center center)
    {
        foreach (var error in center.Validate()) yield return error;
        foreach (var (field, value, max) in new (string, string?, int)[]
                 {
                     ("address.street1", center.Address.Street1, 200), ("address.street2", center.Address.Street2, 200),
                     ("address.city", center.Address.City, 100), ("address.county", center.Address.County, 100),
                     ("verificationSource", center.VerificationSource, 200), ("timeZone", center.TimeZone, 64),
                 })
            if (value?.Length > max) yield return new(field, $"Longer than {max} characters.", "TOO_LONG");
        foreach (var error in center.Phones.SelectMany(p => p.Validate())) yield return error;
        foreach (var error in center.InsurancePlans.SelectMany(p => p.Validate())) yield return error;
        foreach (var program in center.Programs)
        {
            foreach (var error in program.Validate()) yield return error;
            foreach (var error in program.Tracks.SelectMany(t => t.Validate())) yield return error;
        }
        foreach (var route in center.CallRoutes)
        {
            // Shown on this (not yet saved) centre: 0 stands for its id, and for the destination when it rings itself.
            var (centerId, destinationId) = (route.CenterId, route.DestinationCenterId);
            route.CenterId = 0;
            if (route.DestinationKind == RouteDestinationKind.Facility) route.DestinationCenterId ??= 0;
            var errors = route.Validate().ToList();
            (route.CenterId, route.DestinationCenterId) = (centerId, destinationId);
            foreach (var error in errors) yield return error;
        }
    }
}
