using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>One read of a /metrics page in the Prometheus text format: each series' value by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, string Labels, double Value)> _series;

    private PrometheusScrape(List<(string, string, double)> series) => _series = series;

    public static async Task<PrometheusScrape> ReadAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var series = text.Split('\n')
            .Select(line => SeriesLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (match.Groups["name"].Value, match.Groups["labels"].Value, Value(match.Groups["value"].Value)))
            .ToList();
        return new PrometheusScrape(series);
    }

    public bool Has(string name) => _series.Any(series => series.Name == name);

    /// <summary>The sum over the series of this name whose labels include every one given (e.g. "orleanschat_error_code=\"bad_request\"").</summary>
    public double Sum(string name, params string[] labels) =>
        _series.Where(series => series.Name == name && labels.All(label => series.Labels.Contains(label, StringComparison.Ordinal))).Sum(series => series.Value);

    private static double Value(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ ]+)( \d+)?$")]
    private static partial Regex SeriesLine();
}
