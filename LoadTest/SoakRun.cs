using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansChat.Client;

namespace OrleansChat.LoadTest;

/// <summary>
/// Clients that connect, chat, join and leave groups and drop at random for a while, then checks that
/// every acknowledged message is in history exactly where its ack said, and how the server's memory
/// compares with before (subscriptions the gateway still holds are read by bench/run.sh from its metrics).
/// </summary>
internal sealed class SoakRun(Uri server, int users, int groups, TimeSpan duration, TimeSpan hold, int? serverPid, int seed)
{
    private readonly ConcurrentBag<(string Group, long Seq, string Text)> _acknowledged = [];
    private long _sessions;
    private readonly ConcurrentDictionary<string, byte> _failureKinds = new();
    private long _failures;

    public async Task<object> RunAsync(CancellationToken cancellationToken)
    {
        var prefix = $"soak{Random.Shared.Next(100_000, 999_999)}";
        Console.Error.WriteLine($"creating {users} users in {groups} groups");
        var tokens = await Accounts.PrepareAsync(server, prefix, users, groups, cancellationToken);
        var process = serverPid is { } pid ? new ServerProcess(pid) : null;
        var rssBefore = process?.RssBytes ?? 0;

        Console.Error.WriteLine($"soaking for {duration.TotalSeconds} s");
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, users).Select(user =>
            ChatterAsync(new Random(seed + user), tokens[user], prefix, user, until, cancellationToken)));

        // Sockets are all closed: give the gateway the hold time to release them (and to collect idle grains, if
        // it was started with a short collection age) before reading its memory. Reading the history activates
        // every page of it, so whoever watches the server's own meters (bench/run.sh) gets a quiet window first.
        await Task.Delay(hold, cancellationToken);
        var rssAfter = process?.RssBytes ?? 0;
        Console.Error.WriteLine("settled; reading the history in 20 s");
        await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken);
        var (checkedMessages, missing) = await CheckHistoryAsync(tokens[0], prefix, cancellationToken);
        return new
        {
            mode = "soak",
            users,
            groups,
            seconds = duration.TotalSeconds,
            sessions = _sessions,
            acknowledged = _acknowledged.Count,
            failedSessions = _failures,
            checkedInHistory = checkedMessages,
            missingFromHistory = missing,
            server = process is null ? null : new { rssBeforeMiB = rssBefore / (1024 * 1024), rssAfterMiB = rssAfter / (1024 * 1024) },
        };
    }

    /// <summary>One user's sessions, one after another until the time is up: each chats a little, then drops.</summary>
    private async Task ChatterAsync(Random random, string token, string prefix, int user, long until, CancellationToken cancellationToken)
    {
        var home = Accounts.GroupName(prefix, user % groups);
        var sent = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            Interlocked.Increment(ref _sessions);
            try
            {
                await using var client = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }, cancellationToken);
                await client.AuthenticateAsync(token, cancellationToken);
                var visiting = random.Next(3) == 0 ? Accounts.GroupName(prefix, random.Next(groups)) : null;
                if (visiting is not null && visiting != home)
                {
                    await client.JoinAsync(visiting, cancellationToken);
                }

                for (var i = random.Next(1, 20); i > 0; i--)
                {
                    var text = $"{prefix} u{user} m{sent++}";
                    var ack = await client.PublishAsync(home, text, $"u{user}m{sent}", cancellationToken);
                    _acknowledged.Add((home, ack.Seq, text));
                    await Task.Delay(random.Next(5, 100), cancellationToken);
                }

                if (visiting is not null && visiting != home && random.Next(2) == 0)
                {
                    await client.LeaveAsync(visiting, cancellationToken);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed session is counted and told once per kind; its user goes on with a new one.
                Interlocked.Increment(ref _failures);
                if (_failureKinds.TryAdd(ex.GetType().Name, 0))
                {
                    Console.Error.WriteLine($"a session failed: {ex}");
                }
            }
        }
    }

    /// <summary>Reads every group's whole history (a member of each joins first) and checks each ack against it.</summary>
    private async Task<(int Checked, int Missing)> CheckHistoryAsync(string token, string prefix, CancellationToken cancellationToken)
    {
        await using var client = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }, cancellationToken);
        await client.AuthenticateAsync(token, cancellationToken);
        var stored = new Dictionary<(string, long), string>();
        for (var group = 0; group < groups; group++)
        {
            var name = Accounts.GroupName(prefix, group);
            await client.JoinAsync(name, cancellationToken);
            long after = 0;
            while (true)
            {
                var page = await client.HistoryAsync(name, after: after, limit: 200, cancellationToken: cancellationToken);
                foreach (var message in page.Messages)
                {
                    stored[(name, message.Seq)] = message.Text;
                }

                if (!page.More || page.Messages.Count == 0)
                {
                    break;
                }

                after = page.Messages[^1].Seq;
            }
        }

        var missing = _acknowledged.Count(ack => stored.GetValueOrDefault((ack.Group, ack.Seq)) != ack.Text);
        return (_acknowledged.Count, missing);
    }
}
