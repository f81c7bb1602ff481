using System.Collections;
using System.Globalization;
using System.Text.Json;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NetTopologySuite.Geometries;

namespace IopDirectory.Editing;

/// <summary>
/// Turns the changes of one SaveChanges into <see cref="AuditEntry"/> rows, written in the same transaction as the
/// changes themselves (so a change is never saved without its record, nor recorded without being saved).
/// </summary>
public static class AuditTrail
{
    /// <summary>Properties that are bookkeeping, not facts: not recorded field by field.</summary>
    private static readonly HashSet<string> Skipped = ["Version", "UpdatedAt"];

    /// <summary>Readable JSON: "+1480..." and "O'Brien" stay as they are (audit values are data, never embedded in HTML).</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Pending(EntityEntry Entry, EntityState State, List<(string Field, string? Old, string? New)> Fields, string? Removed);

    /// <summary>What is about to change; call before saving (afterwards every entry looks unchanged).</summary>
    public static List<Pending> Capture(DbContext db)
    {
        var pending = new List<Pending>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (ResourceType(entry.Entity) is null) continue;
            switch (entry.State)
            {
                case EntityState.Added:
                    pending.Add(new(entry, EntityState.Added, [], null));
                    break;
                case EntityState.Deleted:
                    pending.Add(new(entry, EntityState.Deleted, [], Snapshot(entry, original: true)));
                    break;
                case EntityState.Modified:
                    var fields = Members(entry)
                        .Where(m => m.Property.IsModified && !Skipped.Contains(m.Property.Metadata.Name))
                        .Select(m => (m.Field, Format(m.Property.OriginalValue), Format(m.Property.CurrentValue)))
                        .Where(f => f.Item2 != f.Item3)
                        .ToList();
                    if (fields.Count > 0) pending.Add(new(entry, EntityState.Modified, fields, null));
                    break;
            }
        }
        return pending;
    }

    /// <summary>The audit rows for what was captured; call after saving (ids of new records are known then).</summary>
    public static List<AuditEntry> Entries(DbContext db, IEnumerable<Pending> pending, string actor, DateTimeOffset at)
    {
        var changeId = Guid.NewGuid();
        var parents = new Parents(db);
        var entries = new List<AuditEntry>();
        foreach (var p in pending)
        {
            var entity = p.Entry.Entity;
            AuditEntry Entry(string action, string? field, string? old, string? @new) => new()
            {
                ChangeId = changeId,
                CenterId = parents.CenterIdOf(entity),
                ResourceType = ResourceType(entity)!,
                ResourceId = Format(p.Entry.Property("Id").CurrentValue) ?? "",
                Action = action,
                Field = field,
                OldValue = old,
                NewValue = @new,
                Actor = actor,
                At = at,
            };
            switch (p.State)
            {
                case EntityState.Added:
                    entries.Add(Entry("CREATE", null, null, Snapshot(p.Entry, original: false)));
                    break;
                case EntityState.Deleted:
                    entries.Add(Entry("DELETE", null, p.Removed, null));
                    break;
                default:
                    entries.AddRange(p.Fields.Select(f => Entry("UPDATE", f.Field, f.Old, f.New)));
                    break;
            }
        }
        return entries;
    }

    public static string? ResourceType(object entity) => entity switch
    {
        Center => "Center",
        Phone => "Phone",
        IopProgram => "Program",
        Track => "Track",
        TrackSession => "TrackSession",
        InsurancePlan => "InsurancePlan",
        CallRoute => "CallRoute",
        AnswerHours => "AnswerHours",
        _ => null,
    };

    /// <summary>Parents of the tracked records, looked up once per save (a per-record scan of the tracker is quadratic in a batch).</summary>
    private sealed class Parents(DbContext db)
    {
        private readonly Dictionary<int, int> _programCenter = db.ChangeTracker.Entries<IopProgram>().GroupBy(e => e.Entity.Id).ToDictionary(g => g.Key, g => g.First().Entity.CenterId);
        private readonly Dictionary<int, int> _trackProgram = db.ChangeTracker.Entries<Track>().GroupBy(e => e.Entity.Id).ToDictionary(g => g.Key, g => g.First().Entity.ProgramId);
        private readonly Dictionary<int, CallRoute> _routes = db.ChangeTracker.Entries<CallRoute>().GroupBy(e => e.Entity.Id).ToDictionary(g => g.Key, g => g.First().Entity);

        public int? CenterIdOf(object entity) => entity switch
        {
            Center c => c.Id,
            Phone p => p.CenterId,
            IopProgram p => p.CenterId,
            InsurancePlan p => p.CenterId,
            CallRoute r => r.CenterId ?? r.DestinationCenterId,
            Track t => _programCenter.TryGetValue(t.ProgramId, out var center) ? center : null,
            TrackSession s => _trackProgram.TryGetValue(s.TrackId, out var program) && _programCenter.TryGetValue(program, out var center) ? center : null,
            AnswerHours h => _routes.TryGetValue(h.CallRouteId, out var route) ? CenterIdOf(route) : null,
            _ => null,
        };
    }

    private static IEnumerable<(string Field, PropertyEntry Property)> Members(EntityEntry entry) =>
        entry.Properties.Select(p => (Camel(p.Metadata.Name), (PropertyEntry)p))
            .Concat(entry.ComplexProperties.SelectMany(c => c.Properties.Select(p => ($"{Camel(c.Metadata.Name)}.{Camel(p.Metadata.Name)}", (PropertyEntry)p))));

    /// <summary>The whole record as a JSON object of its facts (for CREATE and DELETE).</summary>
    private static string Snapshot(EntityEntry entry, bool original) =>
        JsonSerializer.Serialize(Members(entry)
            .Where(m => !Skipped.Contains(m.Property.Metadata.Name))
            .ToDictionary(m => m.Field, m => Format(original ? m.Property.OriginalValue : m.Property.CurrentValue)), Json);

    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm", CultureInfo.InvariantCulture),
        Point p => string.Create(CultureInfo.InvariantCulture, $"{p.Y},{p.X}"),
        Geometry g => g.AsText(),
        Enum e => e.ToString(),
        IEnumerable list => JsonSerializer.Serialize(list.Cast<object?>().Select(Format), Json),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
