using OrleansChat.Client;
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
    private readonly (string, string)[] _settings;

    public ClientReconnectTests(RedisFixture redis)
    {
        var port = FreePort.Next();
        _server = new Uri($"http://127.0.0.1:{port}");
        _settings = [.. redis.GatewaySettings(Unique.Name("svc")), ("urls", $"http://127.0.0.1:{port}")];
    }

    [Fact]
    public async Task ServerRestart_ClientReportsEverySeqOnceInOrder()
    {
        var group = Unique.Name("g");
        var host = await GatewayHost.StartAsync(_settings);
        await using var reader = await ReaderAsync();
        await reader.JoinAsync(group);
        await using (var writer = await ChatClient.ConnectAsync(_server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.RegisterAsync(_writerName, Password);
            await writer.LoginAsync(_writerName, Password);
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
        await using (var writer = await ChatClient.ConnectAsync(_server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.LoginAsync(_writerName, Password);
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
        await using (var writer = await ChatClient.ConnectAsync(_server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.RegisterAsync(_writerName, Password);
        }

        await host.DisposeAsync();
        await ConnectionLostAsync(reader);

        await using var restarted = await GatewayHost.StartAsync(_settings);
        await using (var writer = await ChatClient.ConnectAsync(_server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.LoginAsync(_writerName, Password);
            for (var i = 1; i <= 5; i++)
            {
                await writer.DirectAsync(_readerName, $"dm {i}");
            }
        }

        var seqs = new List<long>();
        await CollectAsync(reader, seqs, through: 5);
        Assert.Equal([1, 2, 3, 4, 5], seqs);
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
