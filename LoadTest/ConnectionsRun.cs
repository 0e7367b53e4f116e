using System.Diagnostics;

namespace OrleansChat.LoadTest;

/// <summary>Idle density: N authenticated sockets, each in one group, held open; reports connect rate and memory per socket.</summary>
internal sealed class ConnectionsRun(IReadOnlyList<Uri> servers, int sockets, int groups, int socketsPerUser, int connectRate, TimeSpan hold, int? serverPid)
{
    public async Task<object> RunAsync(CancellationToken cancellationToken)
    {
        var prefix = $"lc{Random.Shared.Next(100_000, 999_999)}";
        var users = (sockets + socketsPerUser - 1) / socketsPerUser;
        Console.Error.WriteLine($"creating {users} users in {groups} groups");
        var tokens = await Accounts.PrepareAsync(servers[0], prefix, users, groups, cancellationToken);
        var process = serverPid is { } pid ? new ServerProcess(pid) : null;
        GC.Collect();
        var rssBefore = process?.RssBytes ?? 0;

        Console.Error.WriteLine($"connecting {sockets} sockets at up to {connectRate}/s");
        var statistics = new LoadStatistics();
        var clock = Stopwatch.StartNew();
        var (open, errors) = await SocketFleet.ConnectAsync(servers, sockets, connectRate, statistics, socket =>
            (tokens[socket / socketsPerUser], Accounts.GroupName(prefix, socket / socketsPerUser % groups)), cancellationToken);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(hold, cancellationToken);
        var rssAfter = process?.RssBytes ?? 0;

        var result = new
        {
            mode = "connections",
            sockets,
            connected = open.Count,
            connectErrors = errors,
            connectSeconds = Math.Round(connectSeconds, 2),
            connectsPerSecond = Math.Round(open.Count / connectSeconds),
            closedByServer = statistics.ClosedByServer,
            server = process is null ? null : new
            {
                rssBeforeMiB = rssBefore / (1024 * 1024),
                rssAfterMiB = rssAfter / (1024 * 1024),
                rssPerSocketKiB = Math.Round((rssAfter - rssBefore) / 1024.0 / Math.Max(1, open.Count), 1),
            },
        };
        await Task.WhenAll(open.Select(s => s.DisposeAsync().AsTask()));
        return result;
    }
}
