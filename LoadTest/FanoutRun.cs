using System.Diagnostics;
using System.Text;
using OrleansChat.Client;

namespace OrleansChat.LoadTest;

/// <summary>
/// Sockets in groups (or, with <see cref="FanoutOptions.Direct"/>, users in pairs writing direct messages to
/// each other: <see cref="DirectPairs"/>), publishers sending open-loop at a fixed rate with their send time in
/// the text, and every socket checking its conversation's seqs. Prints one JSON object with what it measured.
/// </summary>
internal sealed class FanoutRun(FanoutOptions options)
{
    private readonly LoadStatistics _statistics = new();
    private readonly string _prefix = $"lt{Random.Shared.Next(100_000, 999_999)}";

    public async Task<object> RunAsync(CancellationToken cancellationToken)
    {
        var users = (options.Sockets + options.SocketsPerUser - 1) / options.SocketsPerUser;
        Progress(options.Direct ? $"creating {users} users in {users / 2} direct conversations" : $"creating {users} users in {options.Groups} groups");
        var tokens = options.Direct
            ? await DirectPairs.PrepareAsync(options.Servers[0], _prefix, users, cancellationToken)
            : await Accounts.PrepareAsync(options.Servers[0], _prefix, users, options.Groups, cancellationToken);
        var server = options.ServerPid is { } pid ? new ServerProcess(pid) : null;
        var rssBefore = server?.RssBytes ?? 0;

        Progress($"connecting {options.Sockets} sockets at {options.ConnectRate}/s");
        var connect = Stopwatch.StartNew();
        var (sockets, connectErrors) = await SocketFleet.ConnectAsync(options.Servers, options.Sockets, options.ConnectRate, _statistics, socket =>
            (tokens[socket / options.SocketsPerUser], ConversationOf(socket / options.SocketsPerUser)), cancellationToken, options.Direct);
        var connectSeconds = connect.Elapsed.TotalSeconds;
        var rssConnected = server?.RssBytes ?? 0;

        var publishers = sockets.GroupBy(s => s.Group).SelectMany(g => g.Take(options.PublishersPerGroup)).ToList();
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var lowerRate = CancellationTokenSource.CreateLinkedTokenSource(stopPublishing.Token);
        var publishing = publishers.Select((socket, index) => PublishAsync(socket, index, (double)index / publishers.Count, lowerRate.Token, stopPublishing.Token)).ToList();
        using var progress = new Timer(_ => Progress(
            $"published {_statistics.Published} acked {_statistics.Acked} delivered {_statistics.Delivered} p99 {_statistics.Delivery.Percentile(0.99)} ms lost {_statistics.Gaps}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await Task.Delay(options.Warmup, cancellationToken);
        foreach (var socket in sockets)
        {
            socket.BeginMeasuring();
        }

        using var counters = new RuntimeCounters(options.Servers[0]);
        var runtimeBefore = await counters.ReadAsync(cancellationToken);
        var cpuBefore = server?.CpuSeconds ?? 0;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Progress($"measuring for {options.Duration.TotalSeconds} s");
        _statistics.Measuring = true;
        var measure = Stopwatch.StartNew();
        var queueLengths = SampleQueueLengthAsync(counters, options.Duration, cancellationToken);
        await Task.Delay(options.Duration, cancellationToken);
        var measuredSeconds = measure.Elapsed.TotalSeconds;
        var cpuSeconds = (server?.CpuSeconds ?? 0) - cpuBefore;
        var ownCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
        var runtimeAfter = await counters.ReadAsync(cancellationToken);
        var measuredDeliveries = _statistics.Delivery.Count;
        if (options.LowerRate is { } lower)
        {
            Progress($"lowering the rate to {lower}/s per publisher for {options.LowerDuration.TotalSeconds} s");
            _statistics.LoweredAt = Stopwatch.GetTimestamp();
            await lowerRate.CancelAsync();
            await Task.Delay(options.LowerDuration, cancellationToken);
        }

        await stopPublishing.CancelAsync();
        await Task.WhenAll(publishing);

        var finalSeqs = options.Direct
            ? await DirectPairs.FinalSeqsAsync(options.Servers[0], _prefix, tokens, cancellationToken)
            : await FinalSeqsAsync(tokens, cancellationToken);
        await DrainAsync(sockets, finalSeqs, _statistics, TimeSpan.FromSeconds(10));
        var expected = sockets.Sum(s => Math.Max(0, finalSeqs[s.Group] - s.MeasureAfterSeq));
        var delivered = _statistics.Delivered;
        var result = new
        {
            mode = options.Direct ? "direct" : "fanout",
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
            deliveriesPerSecond = Math.Round(measuredDeliveries / measuredSeconds),
            deliveryLatencyMs = Latencies(_statistics.Delivery),
            lowered = options.LowerRate is null ? null : new
            {
                ratePerPublisher = options.LowerRate,
                seconds = options.LowerDuration.TotalSeconds,
                settlingLatencyMs = Latencies(_statistics.Settling),
                settledLatencyMs = Latencies(_statistics.Settled),
                settledAfterSeconds = LoadStatistics.SettlingTime.TotalSeconds,
            },
            ackLatencyMs = new { p50 = _statistics.Ack.Percentile(0.5), p99 = _statistics.Ack.Percentile(0.99) },
            loadToolCpuSecondsWhileMeasuring = Math.Round(ownCpuSeconds, 1),
            connectErrors,
            connectSeconds = Math.Round(connectSeconds, 2),
            connectsPerSecond = Math.Round(options.Sockets / connectSeconds),
            server = server is null ? null : new
            {
                peakRssMiB = server.PeakRssBytes / (1024 * 1024),
                rssPerSocketKiB = Math.Round((rssConnected - rssBefore) / 1024.0 / options.Sockets, 1),
                cpuSecondsWhileMeasuring = Math.Round(cpuSeconds, 1),
                cpuSecondsPer1000Deliveries = measuredDeliveries == 0 ? 0 : Math.Round(cpuSeconds * 1000 / measuredDeliveries, 4),
            },
            runtime = Runtime(runtimeBefore, runtimeAfter, measuredDeliveries, await queueLengths),
        };

        await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask()));
        return result;
    }

    /// <summary>
    /// Publishes at the rate until told to lower it, then (where a lower rate is set) at that until stopped.
    /// Each publisher keeps its own phase (<paramref name="phase"/>, a fraction of the interval): people do not
    /// send in step, and publishers that did would hand the server every group's message at the same instant.
    /// </summary>
    private async Task PublishAsync(LoadSocket socket, int publisherIndex, double phase, CancellationToken lowerRate, CancellationToken stop)
    {
        if (await PublishAtRateAsync(socket, publisherIndex, options.RatePerPublisher, phase, 0, lowerRate) is { } next && options.LowerRate is { } lower)
        {
            await PublishAtRateAsync(socket, publisherIndex, lower, phase, next, stop);
        }
    }

    /// <summary>Sends open-loop at the rate until cancelled; the next message number then, or null when the socket failed.</summary>
    private async Task<long?> PublishAtRateAsync(LoadSocket socket, int publisherIndex, double rate, double phase, long first, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        var padding = new string('x', Math.Max(0, options.MessageSize - 24));
        var clock = Stopwatch.StartNew();
        for (var n = first; ; n++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return n;
            }

            // Read the clock once: between two reads the wait could turn negative, which Task.Delay rejects.
            var wait = (interval * (n - first + phase)) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return n;
                }
            }

            var id = ((long)publisherIndex << 40) | n;
            var target = options.Direct ? $"\"type\":\"direct\",\"to\":\"{socket.Group[1..]}\"" : $"\"type\":\"publish\",\"group\":\"{socket.Group}\"";
            var frame = Encoding.UTF8.GetBytes($"{{{target},\"id\":\"{id}\",\"text\":\"{Stopwatch.GetTimestamp()} {padding}\"}}");
            _statistics.RecordPublish(id);
            try
            {
                await socket.SendAsync(frame, CancellationToken.None);
            }
            catch (Exception)
            {
                _statistics.RecordError("send_failed");
                return null;
            }
        }
    }

    /// <summary>The server's thread-pool queue length once a second while measuring.</summary>
    private static async Task<List<double>> SampleQueueLengthAsync(RuntimeCounters counters, TimeSpan duration, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (await counters.ReadAsync(cancellationToken) is { } snapshot)
            {
                samples.Add(snapshot.QueueLength);
            }
        }

        return samples;
    }

    /// <summary>What the server's runtime did while measuring, per delivery where that is the useful unit.</summary>
    private static object? Runtime(RuntimeCounters.Snapshot? before, RuntimeCounters.Snapshot? after, long deliveries, List<double> queueLengths) =>
        before is null || after is null ? null : new
        {
            allocatedBytesPerDelivery = deliveries == 0 ? 0 : Math.Round((after.AllocatedBytes - before.AllocatedBytes) / deliveries, 1),
            gcCollections = new { gen0 = after.Collections[0] - before.Collections[0], gen1 = after.Collections[1] - before.Collections[1], gen2 = after.Collections[2] - before.Collections[2] },
            gcPauseMs = Math.Round((after.PauseSeconds - before.PauseSeconds) * 1000, 1),
            threadPoolQueue = queueLengths.Count == 0 ? null : new { mean = Math.Round(queueLengths.Average(), 1), max = queueLengths.Max() },
        };

    /// <summary>What a user's sockets follow: its group, or "@" and the other user of its direct conversation.</summary>
    private string ConversationOf(int user) =>
        options.Direct ? DirectPairs.ConversationOf(_prefix, user) : Accounts.GroupName(_prefix, user % options.Groups);

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
