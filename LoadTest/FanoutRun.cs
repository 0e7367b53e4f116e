using System.Diagnostics;
using System.Text;
using OrleansChat.Client;

namespace OrleansChat.LoadTest;

/// <summary>
/// Sockets in groups, publishers sending open-loop at a fixed rate with their send time in the text,
/// and every socket checking its group's seqs. Prints one JSON object with what it measured.
/// </summary>
internal sealed class FanoutRun(FanoutOptions options)
{
    private readonly LoadStatistics _statistics = new();
    private readonly string _prefix = $"lt{Random.Shared.Next(100_000, 999_999)}";

    public async Task<object> RunAsync(CancellationToken cancellationToken)
    {
        var users = (options.Sockets + options.SocketsPerUser - 1) / options.SocketsPerUser;
        Progress($"creating {users} users in {options.Groups} groups");
        var tokens = await Accounts.PrepareAsync(options.Servers[0], _prefix, users, options.Groups, cancellationToken);
        var server = options.ServerPid is { } pid ? new ServerProcess(pid) : null;
        var rssBefore = server?.RssBytes ?? 0;

        Progress($"connecting {options.Sockets} sockets at {options.ConnectRate}/s");
        var connect = Stopwatch.StartNew();
        var (sockets, connectErrors) = await SocketFleet.ConnectAsync(options.Servers, options.Sockets, options.ConnectRate, _statistics, socket =>
            (tokens[socket / options.SocketsPerUser], Accounts.GroupName(_prefix, socket / options.SocketsPerUser % options.Groups)), cancellationToken);
        var connectSeconds = connect.Elapsed.TotalSeconds;
        var rssConnected = server?.RssBytes ?? 0;

        var publishers = sockets.GroupBy(s => s.Group).SelectMany(g => g.Take(options.PublishersPerGroup)).ToList();
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishing = publishers.Select((socket, index) => PublishAsync(socket, index, stopPublishing.Token)).ToList();
        using var progress = new Timer(_ => Progress(
            $"published {_statistics.Published} acked {_statistics.Acked} delivered {_statistics.Delivered} p99 {_statistics.Delivery.Percentile(0.99)} ms lost {_statistics.Gaps}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await Task.Delay(options.Warmup, cancellationToken);
        foreach (var socket in sockets)
        {
            socket.BeginMeasuring();
        }

        var cpuBefore = server?.CpuSeconds ?? 0;
        Progress($"measuring for {options.Duration.TotalSeconds} s");
        _statistics.Measuring = true;
        var measure = Stopwatch.StartNew();
        await Task.Delay(options.Duration, cancellationToken);
        await stopPublishing.CancelAsync();
        await Task.WhenAll(publishing);
        var measuredSeconds = measure.Elapsed.TotalSeconds;
        var cpuSeconds = (server?.CpuSeconds ?? 0) - cpuBefore;

        var finalSeqs = await FinalSeqsAsync(tokens, cancellationToken);
        await DrainAsync(sockets, finalSeqs, _statistics, TimeSpan.FromSeconds(10));
        var expected = sockets.Sum(s => Math.Max(0, finalSeqs[s.Group] - s.MeasureAfterSeq));
        var delivered = _statistics.Delivered;
        var result = new
        {
            mode = "fanout",
            sockets = options.Sockets,
            groups = options.Groups,
            publishersPerGroup = options.PublishersPerGroup,
            ratePerPublisher = options.RatePerPublisher,
            messageSize = options.MessageSize,
            seconds = Math.Round(measuredSeconds, 1),
            published = _statistics.Published,
            acked = _statistics.Acked,
            errors = _statistics.Errors,
            expectedDeliveries = expected,
            receivedDeliveries = delivered,
            lost = Math.Max(0, expected - delivered),
            duplicates = _statistics.Duplicates,
            outOfOrder = _statistics.OutOfOrder,
            gaps = _statistics.Gaps,
            closedByServer = _statistics.ClosedByServer,
            deliveriesPerSecond = Math.Round(delivered / measuredSeconds),
            deliveryLatencyMs = Latencies(_statistics.Delivery),
            ackLatencyMs = new { p50 = _statistics.Ack.Percentile(0.5), p99 = _statistics.Ack.Percentile(0.99) },
            connectErrors,
            connectSeconds = Math.Round(connectSeconds, 2),
            connectsPerSecond = Math.Round(options.Sockets / connectSeconds),
            server = server is null ? null : new
            {
                peakRssMiB = server.PeakRssBytes / (1024 * 1024),
                rssPerSocketKiB = Math.Round((rssConnected - rssBefore) / 1024.0 / options.Sockets, 1),
                cpuSecondsWhileMeasuring = Math.Round(cpuSeconds, 1),
            },
        };

        await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask()));
        return result;
    }

    private async Task PublishAsync(LoadSocket socket, int publisherIndex, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1 / options.RatePerPublisher);
        var padding = new string('x', Math.Max(0, options.MessageSize - 24));
        var clock = Stopwatch.StartNew();
        for (long n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            // Read the clock once: between two reads the wait could turn negative, which Task.Delay rejects.
            var wait = (interval * n) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var id = ((long)publisherIndex << 40) | n;
            var frame = Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"id\":\"{id}\",\"group\":\"{socket.Group}\",\"text\":\"{Stopwatch.GetTimestamp()} {padding}\"}}");
            _statistics.RecordPublish(id);
            try
            {
                await socket.SendAsync(frame, CancellationToken.None);
            }
            catch (Exception)
            {
                _statistics.RecordError("send_failed");
                return;
            }
        }
    }

    /// <summary>Each group's last seq, asked of the server (through one of its members).</summary>
    private async Task<Dictionary<string, long>> FinalSeqsAsync(string[] tokens, CancellationToken cancellationToken)
    {
        var seqs = new Dictionary<string, long>();
        for (var group = 0; group < options.Groups && group < tokens.Length; group++)
        {
            await using var client = await ChatClient.ConnectAsync(options.Servers[0], new ChatClientOptions { Reconnect = false }, cancellationToken);
            await client.AuthenticateAsync(tokens[group], cancellationToken);
            foreach (var info in await client.GroupsAsync(cancellationToken))
            {
                seqs[info.Group] = info.LastSeq;
            }
        }

        return seqs;
    }

    /// <summary>Waits (up to the timeout) for the last message to reach every socket and every ack to arrive.</summary>
    private static async Task DrainAsync(List<LoadSocket> sockets, Dictionary<string, long> finalSeqs, LoadStatistics statistics, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && (sockets.Any(s => s.LastSeq < finalSeqs[s.Group]) || statistics.Acked + statistics.Errors.Values.Sum() < statistics.Published))
        {
            await Task.Delay(50);
        }
    }

    private static object Latencies(LatencyHistogram histogram) => new
    {
        p50 = histogram.Percentile(0.5),
        p90 = histogram.Percentile(0.9),
        p99 = histogram.Percentile(0.99),
        p999 = histogram.Percentile(0.999),
        max = histogram.MaxMilliseconds,
    };

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
