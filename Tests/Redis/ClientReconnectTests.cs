using OrleansChat.Client;
using OrleansChat.Rules;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>The client library rides out a full server restart: it reconnects, re-authenticates and catches up.</summary>
[Collection(RedisCollection.Name)]
public sealed class ClientReconnectTests
{
    private const string Password = "client password";
    private readonly string _readerName = Unique.Name("reader");
    private readonly string _writerName = Unique.Name("writer");
    private readonly Uri _server;
    private readonly (string, string)[] _storage;
    private readonly (string, string)[] _settings;

    public ClientReconnectTests(RedisFixture redis)
    {
        var port = FreePort.Next();
        _server = new Uri($"http://127.0.0.1:{port}");
        _storage = redis.GatewaySettings(Unique.Name("svc"));
        _settings = [.. _storage, ("urls", $"http://127.0.0.1:{port}")];
    }

    [Fact]
    public async Task ServerRestart_ClientReportsEverySeqOnceInOrder()
    {
        var group = Unique.Name("g");
        var host = await GatewayHost.StartAsync(_settings);
        await using var reader = await ReaderAsync();
        await reader.JoinAsync(group);
        await using (var writer = await WriterAsync(_server, register: true))
        {
            await writer.JoinAsync(group);
            for (var i = 1; i <= 3; i++)
            {
                await writer.PublishAsync(group, $"before {i}");
            }
        }

        var seqs = new List<long>();
        await CollectAsync(reader, seqs, through: 3);
        await host.DisposeAsync();
        await ConnectionLostAsync(reader);

        await using var restarted = await GatewayHost.StartAsync(_settings);
        await using (var writer = await WriterAsync(_server, register: false))
        {
            for (var i = 4; i <= 8; i++)
            {
                await writer.PublishAsync(group, $"after {i}");
            }
        }

        await CollectAsync(reader, seqs, through: 8);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], seqs);
    }

    /// <summary>A conversation another user starts while the client is away is caught up from its first message.</summary>
    [Fact]
    public async Task ServerRestart_ClientReportsEveryDirectMessageOnceInOrder()
    {
        var host = await GatewayHost.StartAsync(_settings);
        await using var reader = await ReaderAsync();
        await (await WriterAsync(_server, register: true)).DisposeAsync();

        await host.DisposeAsync();
        await ConnectionLostAsync(reader);

        await using var restarted = await GatewayHost.StartAsync(_settings);
        await using (var writer = await WriterAsync(_server, register: false))
        {
            for (var i = 1; i <= 5; i++)
            {
                await writer.DirectAsync(_readerName, $"dm {i}");
            }
        }

        var seqs = new List<long>();
        await CollectAsync(reader, seqs, through: 5);
        Assert.Equal([1, 2, 3, 4, 5], seqs);
    }

    /// <summary>
    /// Edits and deletions made while the client was away (through another gateway over the same storage, while
    /// the client's own one is down) are reported once it is back, each changed message once, as it is now; more
    /// of them than the server remembers, as a <see cref="ChangesMissed"/>.
    /// </summary>
    [Fact]
    public async Task ServerRestart_ClientReportsChangesMadeWhileAway()
    {
        var group = Unique.Name("g");
        var busy = Unique.Name("busy");
        var host = await GatewayHost.StartAsync(_settings);
        await using var reader = await ReaderAsync();
        await reader.JoinAsync(group);
        await reader.JoinAsync(busy);
        await using (var writer = await WriterAsync(_server, register: true))
        {
            await writer.JoinAsync(group);
            await writer.JoinAsync(busy);
            await writer.PublishAsync(busy, "edited over and over");
            await writer.PublishAsync(group, "one");
            await writer.PublishAsync(group, "two");
            await writer.EditAsync(group, 1, "one, edited live");
        }

        var live = await NextAsync<MessageChanged>(reader);
        await host.DisposeAsync();
        await ConnectionLostAsync(reader);
        await using (var elsewhere = await GatewayHost.StartAsync([.. _storage, ("Limits:RequestsPerSecond", "100000"), ("Limits:RequestBurst", "100000")]))
        await using (var writer = await WriterAsync(elsewhere.HttpUri, register: false))
        {
            await writer.EditAsync(group, 2, "two, edited away");
            await writer.DeleteAsync(group, 1);
            for (var i = 0; i <= ChatLimits.ChangeWindow; i++)
            {
                await writer.EditAsync(busy, 1, $"edit {i}");
            }
        }

        await using var restarted = await GatewayHost.StartAsync(_settings);
        var caughtUp = new List<ChatEvent>();
        while (caughtUp.Count < 3)
        {
            caughtUp.Add(await NextAsync<ChatEvent>(reader, chatEvent => chatEvent is MessageChanged or ChangesMissed));
        }

        Assert.Equal(new MessageChanged(group, null, 1, "one, edited live", Deleted: false, By: null, Rev: 1), live);
        Assert.Equal(
            [
                new MessageChanged(group, null, 1, "", Deleted: true, By: _writerName, Rev: 3),
                new MessageChanged(group, null, 2, "two, edited away", Deleted: false, By: null, Rev: 3),
                new ChangesMissed(busy, null),
            ],
            caughtUp.OrderBy(chatEvent => chatEvent is ChangesMissed));
    }

    private static async Task<T> NextAsync<T>(ChatClient client, Func<T, bool>? match = null)
        where T : ChatEvent
    {
        while (true)
        {
            if (await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is T wanted && (match is null || match(wanted)))
            {
                return wanted;
            }
        }
    }

    /// <summary>The writer's client, logged in (registered first when asked), without reconnecting.</summary>
    private async Task<ChatClient> WriterAsync(Uri server, bool register)
    {
        var writer = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false });
        if (register)
        {
            await writer.RegisterAsync(_writerName, Password);
        }

        await writer.LoginAsync(_writerName, Password);
        return writer;
    }

    private async Task<ChatClient> ReaderAsync()
    {
        var reader = await ChatClient.ConnectAsync(_server, new ChatClientOptions { FirstReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) });
        await reader.RegisterAsync(_readerName, Password);
        await reader.LoginAsync(_readerName, Password);
        return reader;
    }

    private static async Task ConnectionLostAsync(ChatClient client)
    {
        while (await client.Events.ReadAsync().AsTask().WaitAsync(ChatSocketTestExtensions.Timeout) is not ConnectionLost)
        {
        }
    }

    private static async Task CollectAsync(ChatClient client, List<long> seqs, long through)
    {
        while (seqs.Count == 0 || seqs[^1] < through)
        {
            var seq = await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) switch
            {
                MessageReceived message => message.Seq,
                DirectReceived direct => direct.Seq,
                _ => (long?)null,
            };
            if (seq is { } reported)
            {
                seqs.Add(reported);
            }
        }
    }
}
