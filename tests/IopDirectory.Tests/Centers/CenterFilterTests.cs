using IopDirectory.Centers;
using IopDirectory.GraphQL;
using IopDirectory.Programs;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Tests.Centers;

/// <summary>Each simple filter returns exactly the centres a brute-force check over the seed finds.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CenterFilterTests(TestDatabase database) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private List<Center> _all = [];

    public async Task InitializeAsync()
    {
        _api = new ApiFactory(database.SharedConnectionString);
        await using var db = TestDatabase.CreateContext(database.SharedConnectionString);
        _all = await db.Centers.AsNoTracking().Include(c => c.Programs).ThenInclude(p => p.Tracks).ToListAsync();
    }

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<List<string>> IdsAsync(string filter)
    {
        var body = await _api.GraphQLAsync($"{{ centers(first: 100, filter: {filter}) {{ totalCount nodes {{ id }} }} }}");
        Assert.Null(body["errors"]);
        var ids = body["data"]!["centers"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!).ToList();
        Assert.Equal(ids.Count, (int)body["data"]!["centers"]!["totalCount"]!);
        return ids;
    }

    private void AssertSame(IEnumerable<Center> expected, List<string> actual)
    {
        var expectedIds = expected.OrderBy(c => c.Id).Select(c => GlobalId.Encode("Center", c.Id)).ToList();
        Assert.NotEmpty(expectedIds); // a filter that matches nothing proves nothing
        Assert.NotEqual(_all.Count, expectedIds.Count); // ...and neither does one that matches everything
        Assert.Equal(expectedIds, actual);
    }

    [Fact]
    public async Task State_filter_keeps_only_that_state()
    {
        var state = _all.GroupBy(c => c.Address.State).OrderByDescending(g => g.Count()).First().Key;
        AssertSame(_all.Where(c => c.Address.State == state), await IdsAsync($"{{ state: \"{state.ToLowerInvariant()}\" }}"));
    }

    [Fact]
    public async Task Evening_track_filter_excludes_day_only_programs()
    {
        AssertSame(_all.Where(c => c.Programs.Any(p => p.Tracks.Any(t => t.Kind == TrackKind.Evening))),
            await IdsAsync("{ tracks: [EVENING] }"));
    }

    [Fact]
    public async Task Services_filter_is_all_of()
    {
        AssertSame(_all.Where(c => c.Programs.Any(p => p.ServiceCodes.Contains("FAMILY_THERAPY")) && c.Programs.Any(p => p.ServiceCodes.Contains("YOGA"))),
            await IdsAsync("{ services: [\"FAMILY_THERAPY\", \"YOGA\"] }"));
    }

    [Fact]
    public async Task Payer_and_level_filters_are_any_of()
    {
        AssertSame(_all.Where(c => c.PayerTypes.Contains(Insurance.PayerType.Medicaid) || c.PayerTypes.Contains(Insurance.PayerType.Military)),
            await IdsAsync("{ payerTypes: [MEDICAID, MILITARY] }"));
        AssertSame(_all.Where(c => c.LevelsOfCare.Contains(Taxonomy.LevelOfCare.Detox)),
            await IdsAsync("{ levelsOfCare: [DETOX] }"));
    }

    [Fact]
    public async Task Filters_combine_with_and()
    {
        AssertSame(_all.Where(c => c.AcceptingNewPatients && c.Programs.Any(p => p.Tracks.Any(t => t.Kind == TrackKind.Weekend))),
            await IdsAsync("{ acceptingNewPatients: true, tracks: [WEEKEND] }"));
    }
}
