using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>The client library rides out a full server restart: it reconnects, re-authenticates and catches up.</summary>
[Collection(RedisCollection.Name)]
public sealed class ClientReconnectTests(RedisFixture redis)
{
    [Fact]
    public async Task ServerRestart_ClientReportsEverySeqOnceInOrder()
    {
        const string Password = "client password";
        var port = FreePort.Next();
        (string, string)[] settings = [.. redis.GatewaySettings(Unique.Name("svc")), ("urls", $"http://127.0.0.1:{port}")];
        var group = Unique.Name("g");
        var readerName = Unique.Name("reader");
        var writerName = Unique.Name("writer");
        var server = new Uri($"http://127.0.0.1:{port}");

        var host = await GatewayHost.StartAsync(settings);
        await using var reader = await ChatClient.ConnectAsync(server, new ChatClientOptions { FirstReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) });
        await reader.RegisterAsync(readerName, Password);
        await reader.LoginAsync(readerName, Password);
        await reader.JoinAsync(group);
        await using (var writer = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.RegisterAsync(writerName, Password);
            await writer.LoginAsync(writerName, Password);
            await writer.JoinAsync(group);
            for (var i = 1; i <= 3; i++)
            {
                await writer.PublishAsync(group, $"before {i}");
            }
        }

        var seqs = new List<long>();
        await CollectAsync(reader, seqs, through: 3);
        await host.DisposeAsync();
        while (await reader.Events.ReadAsync().AsTask().WaitAsync(ChatSocketTestExtensions.Timeout) is not ConnectionLost)
        {
        }

        await using var restarted = await GatewayHost.StartAsync(settings);
        await using (var writer = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }))
        {
            await writer.LoginAsync(writerName, Password);
            for (var i = 4; i <= 8; i++)
            {
                await writer.PublishAsync(group, $"after {i}");
            }
        }

        await CollectAsync(reader, seqs, through: 8);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], seqs);
    }

    private static async Task CollectAsync(ChatClient client, List<long> seqs, long through)
    {
        while (seqs.Count == 0 || seqs[^1] < through)
        {
            if (await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is MessageReceived message)
            {
                seqs.Add(message.Seq);
            }
        }
    }
}
