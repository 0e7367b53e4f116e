using System.Globalization;

namespace OrleansChat.LoadTest;

/// <summary>
/// The server's .NET runtime counters, read from its Prometheus endpoint (<c>/metrics</c>): the gateway
/// exports them through OpenTelemetry, the yardstick writes the same series itself. Snapshots taken at the
/// start and end of the measured window give allocations and collections per delivery.
/// </summary>
internal sealed class RuntimeCounters(Uri server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(server.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };

    public async Task<Snapshot?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = await _http.GetStringAsync("/metrics", cancellationToken);
            var series = Parse(text);
            double Sum(string name, string? label = null) => series.Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);
            return new Snapshot(
                Sum("dotnet_gc_heap_total_allocated_bytes_total"),
                [Sum("dotnet_gc_collections_total", "\"gen0\""), Sum("dotnet_gc_collections_total", "\"gen1\""), Sum("dotnet_gc_collections_total", "\"gen2\"")],
                Sum("dotnet_gc_pause_time_seconds_total"),
                Sum("dotnet_thread_pool_queue_length"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Name, string Labels, double Value)> Parse(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]
            var labelsStart = line.IndexOf('{');
            var firstSpace = line.IndexOf(' ');
            var nameEnd = labelsStart >= 0 && (firstSpace < 0 || labelsStart < firstSpace) ? labelsStart : firstSpace;
            var labelsEnd = labelsStart == nameEnd ? line.IndexOf('}', nameEnd) + 1 : nameEnd;
            if (nameEnd <= 0 || labelsEnd <= 0)
            {
                continue;
            }

            var rest = line[labelsEnd..].TrimStart().Split(' ');
            if (!double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            yield return (line[..nameEnd], line[nameEnd..labelsEnd], value);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Totals since the process started, but the queue length, which is the value now.</summary>
    public sealed record Snapshot(double AllocatedBytes, double[] Collections, double PauseSeconds, double QueueLength);
}
