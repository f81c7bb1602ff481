using System.Globalization;

namespace IopDirectory.Geo;

/// <summary>
/// ZIP and city centroids from seed/zip-centroids.csv (see seed/README.md for its sources and
/// licences), held in memory: about 34,000 rows, looked up without a database round trip.
/// </summary>
public sealed class ZipCentroids
{
    public sealed record Centroid(string Zip, string City, string State, double Latitude, double Longitude);

    private readonly Dictionary<string, Centroid> _byZip;
    private readonly Dictionary<(string City, string State), (double Latitude, double Longitude)> _byCity;

    public ZipCentroids(IEnumerable<Centroid> rows)
    {
        _byZip = rows.ToDictionary(r => r.Zip);
        // A city's centroid is the median of its ZIP centroids: robust to the odd ZIP whose
        // centroid lies far from the town (seen in Alaska).
        _byCity = _byZip.Values
            .GroupBy(r => (Normalize(r.City), r.State))
            .ToDictionary(g => g.Key, g => (Median(g.Select(r => r.Latitude)), Median(g.Select(r => r.Longitude))));
    }

    public int Count => _byZip.Count;

    public Centroid? FindZip(string zip) => _byZip.GetValueOrDefault(zip);

    public (double Latitude, double Longitude)? FindCity(string city, string state) =>
        _byCity.TryGetValue((Normalize(city), state.Trim().ToUpperInvariant()), out var point) ? point : null;

    public static ZipCentroids Load(string path) =>
        new(File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            return new Centroid(f[0], f[1], f[2], double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture));
        }));

    /// <summary>The copy of seed/zip-centroids.csv that ships beside the binary.</summary>
    public static ZipCentroids LoadDefault() => Load(Path.Combine(AppContext.BaseDirectory, "zip-centroids.csv"));

    private static string Normalize(string city) =>
        string.Join(' ', city.Trim().ToUpperInvariant().Replace("SAINT ", "ST ").Replace("ST. ", "ST ").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
