using IopDirectory.CallRouting;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Centers;

/// <summary>Per-request batch loaders for a centre's children: one SQL statement per kind, per page.</summary>
public sealed class CenterLoaders(DirectoryDbContext db)
{
    public BatchLoader<int, Phone> Phones { get; } = new(async (ids, ct) =>
        (await db.Phones.AsNoTracking().Where(p => ids.Contains(p.CenterId)).OrderBy(p => p.Kind).ThenBy(p => p.Id).ToListAsync(ct))
        .ToLookup(p => p.CenterId));

    public BatchLoader<int, IopProgram> Programs { get; } = new(async (ids, ct) =>
        (await db.Programs.AsNoTracking().Where(p => ids.Contains(p.CenterId)).OrderBy(p => p.Id).ToListAsync(ct))
        .ToLookup(p => p.CenterId));

    public BatchLoader<int, InsurancePlan> InsurancePlans { get; } = new(async (ids, ct) =>
        (await db.InsurancePlans.AsNoTracking().Where(p => ids.Contains(p.CenterId)).OrderBy(p => p.CarrierCode).ThenBy(p => p.Id).ToListAsync(ct))
        .ToLookup(p => p.CenterId));

    public BatchLoader<int, CallRoute> CallRoutes { get; } = new(async (ids, ct) =>
        (await db.CallRoutes.AsNoTracking().Include(r => r.Hours).Where(r => r.CenterId != null && ids.Contains(r.CenterId.Value))
            .OrderBy(r => r.Id).ToListAsync(ct))
        .ToLookup(r => r.CenterId!.Value));

    public BatchLoader<int, Track> Tracks { get; } = new(async (ids, ct) =>
        (await db.Tracks.AsNoTracking().Include(t => t.Sessions.OrderBy(s => s.Weekday).ThenBy(s => s.StartsAt))
            .Where(t => ids.Contains(t.ProgramId)).OrderBy(t => t.Kind).ThenBy(t => t.Id).ToListAsync(ct))
        .ToLookup(t => t.ProgramId));
}
