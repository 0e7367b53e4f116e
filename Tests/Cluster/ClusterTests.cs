using System.Diagnostics;
using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansChat.Tests.Cluster;

/// <summary>Two silos and two gateways as separate processes sharing Redis, with failures injected.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "cluster password";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ClientWait = TimeSpan.FromSeconds(15);
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task UsersOnDifferentGateways_ChatAndSeePresence()
    {
        var group = Unique.Name("g");
        await using var alice = await UserAsync(_cluster.Gateway1, group);
        await using var bob = await UserAsync(_cluster.Gateway2, group);

        await alice.Client.PublishAsync(group, "from gateway 1");
        await bob.Client.PublishAsync(group, "from gateway 2");

        Assert.Equal(["from gateway 1", "from gateway 2"], await TextsAsync(bob.Client, 2));
        Assert.Equal(["from gateway 1", "from gateway 2"], await TextsAsync(alice.Client, 2));
        await bob.Client.DisposeAsync();
        var offline = await alice.Client.NextEventAsync<PresenceChanged>(p => p.Status == "offline");
        Assert.Equal(bob.Name, offline.User);
    }

    [Fact]
    public async Task SiloKilledMidTraffic_NoAcknowledgedMessageLost_EverySocketGetsEverySeqOnce()
    {
        // Each silo dies once (the first comes back before the second dies), so whichever silo the
        // groups' grains live on, a kill hits them.
        var groups = Enumerable.Range(0, 8).Select(_ => Unique.Name("g")).ToList();
        await using var writer1 = await UserAsync(_cluster.Gateway1, groups);
        await using var writer2 = await UserAsync(_cluster.Gateway2, groups);
        await using var reader1 = await UserAsync(_cluster.Gateway1, groups);
        await using var reader2 = await UserAsync(_cluster.Gateway2, groups);
        var acknowledged = groups.ToDictionary(group => group, _ => new List<long>());
        var longestStall = TimeSpan.Zero;

        for (var i = 0; i < 320; i++)
        {
            if (i == 60)
            {
                await _cluster.KillAsync("silo1");
            }
            else if (i == 140)
            {
                await _cluster.StartSiloAsync("silo1");
            }
            else if (i == 200)
            {
                await _cluster.KillAsync("silo2");
            }

            var group = groups[i % groups.Count];
            var started = Stopwatch.GetTimestamp();
            acknowledged[group].Add(await PublishWithRetriesAsync((i % 2 == 0 ? writer1 : writer2).Client, group, $"m{i}", $"id{i}"));
            if (i >= 60 && i != 140)
            {
                longestStall = TimeSpan.FromTicks(Math.Max(longestStall.Ticks, Stopwatch.GetElapsedTime(started).Ticks));
            }
        }

        foreach (var reader in new[] { reader1, reader2, writer1, writer2 })
        {
            var received = await SeqsThroughAsync(reader.Client, acknowledged.ToDictionary(entry => entry.Key, entry => entry.Value.Max()));
            foreach (var (group, seqs) in received)
            {
                Assert.Equal(Enumerable.Range(1, (int)acknowledged[group].Max()).Select(s => (long)s), seqs);
            }
        }

        foreach (var (group, seqs) in acknowledged)
        {
            var history = await reader2.Client.HistoryAsync(group, after: 0, limit: 200);
            Assert.Equal(seqs.Order(), history.Messages.Select(m => m.Seq));
        }

        output.WriteLine($"silos killed with SIGKILL: the longest a publish waited (kill to acknowledgement, with retries) was {longestStall.TotalSeconds:F1}s");
    }

    [Fact]
    public async Task SilosPaused_PublishAnsweredUnavailableBeforeTheClientGivesUp_ThenServiceResumes()
    {
        var group = Unique.Name("g");
        await using var alice = await UserAsync(_cluster.Gateway1, group);
        await alice.Client.PublishAsync(group, "before");

        // Both silos, so that neither declares the other dead and takes over its grains meanwhile.
        await _cluster.PauseAsync("silo1");
        await _cluster.PauseAsync("silo2");
        var clock = Stopwatch.StartNew();
        ChatErrorException refused;
        try
        {
            refused = await Assert.ThrowsAnyAsync<ChatErrorException>(() => alice.Client.PublishAsync(group, "while paused", "paused-1"));
        }
        finally
        {
            await _cluster.ResumeAsync("silo1");
            await _cluster.ResumeAsync("silo2");
        }

        var waited = clock.Elapsed;
        Assert.Equal("unavailable", refused.Code);
        Assert.True(waited < ClientWait, $"answered after {waited}");
        output.WriteLine($"unavailable after {waited.TotalSeconds:0.0} s");

        // The paused silo may still run the refused publish once it goes on; its clientMsgId keeps it single.
        Assert.Equal(2, await PublishWithRetriesAsync(alice.Client, group, "while paused", "paused-1"));
        var history = await alice.Client.HistoryAsync(group, after: 0);
        Assert.Equal(["before", "while paused"], history.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task GatewayKilled_ItsUsersGoOfflineForOthersWithinTheLease()
    {
        var group = Unique.Name("g");
        await using var alice = await UserAsync(_cluster.Gateway1, group);
        await using var bob = await UserAsync(_cluster.Gateway2, group);
        var clock = Stopwatch.StartNew();

        await _cluster.KillAsync("gateway2");
        var offline = await alice.Client.NextEventAsync<PresenceChanged>(p => p.Status == "offline" && p.User == bob.Name, TimeSpan.FromSeconds(45));

        Assert.Equal(group, offline.Group);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"offline after {clock.Elapsed}");
        output.WriteLine($"gateway killed; its user went offline for others after {clock.Elapsed.TotalSeconds:F1}s");
    }

    [Fact]
    public async Task SiloStoppedGracefully_NoPublishFails()
    {
        var group = Unique.Name("g");
        await using var writer = await UserAsync(_cluster.Gateway1, group);
        var stopping = Task.CompletedTask;
        var failures = new List<string>();

        for (var i = 0; i < 60; i++)
        {
            if (i == 10)
            {
                stopping = _cluster.TerminateAsync("silo2");
            }

            try
            {
                await writer.Client.PublishAsync(group, $"m{i}");
            }
            catch (ChatErrorException ex)
            {
                failures.Add($"m{i}: {ex.Code}: {ex.Message}");
            }
        }

        await stopping;
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EverySiloLost_GatewaysReconnect_SocketsKeepReceivingWithoutGaps()
    {
        var group = Unique.Name("g");
        await using var writer = await UserAsync(_cluster.Gateway1, group);
        await using var reader = await UserAsync(_cluster.Gateway2, group);
        for (var i = 1; i <= 3; i++)
        {
            await writer.Client.PublishAsync(group, $"before {i}");
        }

        await _cluster.KillAsync("silo1");
        await _cluster.KillAsync("silo2");
        await _cluster.StartSiloAsync("silo1");
        await _cluster.StartSiloAsync("silo2");
        for (var i = 4; i <= 8; i++)
        {
            await PublishWithRetriesAsync(writer.Client, group, $"after {i}", $"after-{i}");
        }

        var seqs = await SeqsThroughAsync(reader.Client, new Dictionary<string, long> { [group] = 8 });
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], seqs[group]);
    }

    [Fact]
    public async Task WholeClusterRestarted_HistoryIntact()
    {
        var group = Unique.Name("g");
        var texts = Enumerable.Range(1, 70).Select(i => $"kept {i}").ToList();
        string name;
        await using (var user = await UserAsync(_cluster.Gateway1, group))
        {
            name = user.Name;
            foreach (var text in texts)
            {
                await user.Client.PublishAsync(group, text);
            }
        }

        await _cluster.StopAsync();
        await _cluster.StartAgainAsync();

        await using var again = await ChatClient.ConnectAsync(_cluster.Gateway2);
        await again.LoginAsync(name, Password);
        var history = await again.HistoryAsync(group, after: 0, limit: 200);
        Assert.Equal(texts, history.Messages.Select(m => m.Text));
    }

    private static async Task<long> PublishWithRetriesAsync(ChatClient client, string group, string text, string clientMsgId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return (await client.PublishAsync(group, text, clientMsgId)).Seq;
            }
            catch (Exception ex) when (ex is ChatUnavailableException or ChatInternalErrorException or TimeoutException && DateTime.UtcNow < deadline)
            {
                // The cluster is still declaring the dead silo dead; the clientMsgId makes the retry safe.
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Every seq the client reports per group, until each group reached its last seq.</summary>
    private static async Task<Dictionary<string, List<long>>> SeqsThroughAsync(ChatClient client, Dictionary<string, long> lastSeqs)
    {
        var seqs = lastSeqs.Keys.ToDictionary(group => group, _ => new List<long>());
        while (seqs.Any(entry => entry.Value.Count == 0 || entry.Value[^1] < lastSeqs[entry.Key]))
        {
            var message = await client.NextEventAsync<MessageReceived>(_ => true, Patience);
            seqs[message.Group].Add(message.Seq);
        }

        return seqs;
    }

    private static async Task<List<string>> TextsAsync(ChatClient client, int count)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            texts.Add((await client.NextEventAsync<MessageReceived>(_ => true)).Text);
        }

        return texts;
    }


    private static Task<ClusterUser> UserAsync(Uri gateway, string group) => UserAsync(gateway, [group]);

    private static async Task<ClusterUser> UserAsync(Uri gateway, IEnumerable<string> groups)
    {
        var name = Unique.Name("u");
        var client = await ChatClient.ConnectAsync(gateway, new ChatClientOptions { RequestTimeout = ClientWait });
        await client.RegisterAsync(name, Password);
        await client.LoginAsync(name, Password);
        foreach (var group in groups)
        {
            await client.JoinAsync(group);
        }

        return new ClusterUser(name, client);
    }

    private sealed record ClusterUser(string Name, ChatClient Client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }
}

/// <summary>Cluster tests run one at a time: each starts four processes of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster processes";
}
