using OrleansChat.Client;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>Everything acknowledged survives a full stop and start of the host when state lives in Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisPersistenceTests(RedisFixture redis)
{
    [Fact]
    public async Task AccountsGroupsAndHistory_SurviveFullRestart()
    {
        var settings = redis.GatewaySettings(Unique.Name("svc"));
        var group = Unique.Name("g");
        string aliceName, bobName, token;
        long lastMessageSeq;
        string lastMessageTs;
        var acknowledged = new List<(long Seq, string Text)>();

        await using (var host = await GatewayHost.StartAsync(settings))
        {
            aliceName = await host.RegisterAsync(Unique.Name("Alice"));
            bobName = await host.RegisterAsync();
            var (alice, _) = await host.LoggedInAsync(aliceName);
            var (bob, _) = await host.LoggedInAsync(bobName);
            token = (await alice.OkAsync(new { type = "login", username = aliceName, password = Chatters.Password })).Str("token");
            await alice.JoinAsync(group);
            await bob.JoinAsync(group);
            // 150 messages fill two sealed pages and part of the newest one.
            var replies = await Task.WhenAll(Enumerable.Range(1, 150).Select(i =>
                (i % 2 == 0 ? alice : bob).OkAsync(new { type = "publish", group, text = $"message {i} ✓", clientMsgId = $"c{i}" })));
            acknowledged.AddRange(replies.Select((reply, i) => (reply.GetProperty("seq").GetInt64(), $"message {i + 1} ✓")));
            lastMessageSeq = replies[^1].GetProperty("seq").GetInt64();
            lastMessageTs = replies[^1].Str("ts");
            await alice.DisposeAsync();
            await bob.DisposeAsync();
        }

        await using var restarted = await GatewayHost.StartAsync(settings);
        await using var socket = await restarted.ConnectAsync();
        await socket.OkAsync(new { type = "auth", token });
        var history = await socket.OkAsync(new { type = "history", group, after = 0, limit = 200 });
        var stored = history.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("seq").GetInt64(), m.Str("text"))).ToList();
        var members = (await socket.OkAsync(new { type = "members", group })).GetProperty("members").EnumerateArray().Select(m => m.Str("username")).Order();
        var groups = (await socket.OkAsync(new { type = "groups" })).GetProperty("groups").EnumerateArray().Single();

        Assert.Equal(acknowledged.OrderBy(a => a.Seq), stored);
        Assert.Equal(new[] { aliceName, bobName }.Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        Assert.Equal(150, groups.GetProperty("lastSeq").GetInt64());

        var retry = await socket.OkAsync(new { type = "publish", group, text = "retried after restart", clientMsgId = "c150" });
        Assert.Equal((lastMessageSeq, lastMessageTs), (retry.GetProperty("seq").GetInt64(), retry.Str("ts")));
        Assert.Equal(151, await socket.PublishAsync(group, "first after restart"));

        var login = await restarted.Http.PostAsJsonAsync("/api/login", new { username = bobName, password = Chatters.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var duplicate = await restarted.Http.PostAsJsonAsync("/api/register", new { username = aliceName, password = Chatters.Password });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task DirectConversationsAndBlocks_SurviveFullRestart()
    {
        var settings = redis.GatewaySettings(Unique.Name("svc"));
        string aliceName, bobName, carolName;
        var acknowledged = new List<(long Seq, string Text)>();

        await using (var host = await GatewayHost.StartAsync(settings))
        {
            (aliceName, bobName, carolName) = (await host.RegisterAsync(), await host.RegisterAsync(), await host.RegisterAsync());
            var (alice, _) = await host.LoggedInAsync(aliceName);
            await using var _a = alice;
            // 40 messages seal one page of the conversation and start the next.
            for (var i = 1; i <= 40; i++)
            {
                var reply = await alice.OkAsync(new { type = "direct", to = bobName, text = $"dm {i}", clientMsgId = $"d{i}" });
                acknowledged.Add((reply.GetProperty("seq").GetInt64(), $"dm {i}"));
            }

            await alice.OkAsync(new { type = "block", user = carolName });
        }

        await using var restarted = await GatewayHost.StartAsync(settings);
        var (bob, _) = await restarted.LoggedInAsync(bobName);
        var (carol, _) = await restarted.LoggedInAsync(carolName);
        await using var _b = bob;
        await using var _c = carol;
        var history = await bob.OkAsync(new { type = "history", with = aliceName, after = 0, limit = 200 });
        var conversations = await bob.OkAsync(new { type = "conversations" });
        var blocked = await carol.RequestAsync(new { type = "direct", to = aliceName, text = "still blocked?" });

        Assert.Equal(acknowledged, history.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("seq").GetInt64(), m.Str("text"))));
        var entry = Assert.Single(conversations.GetProperty("conversations").EnumerateArray());
        Assert.Equal((aliceName, 40L), (entry.Str("with"), entry.GetProperty("lastSeq").GetInt64()));
        Assert.Equal("forbidden", blocked.Str("code"));
        var (alice2, _) = await restarted.LoggedInAsync(aliceName);
        await using var _a2 = alice2;
        var retry = await alice2.OkAsync(new { type = "direct", to = bobName, text = "retried", clientMsgId = "d40" });
        Assert.Equal(40, retry.GetProperty("seq").GetInt64());
        Assert.Equal(41, (await alice2.OkAsync(new { type = "direct", to = bobName, text = "first after restart" })).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task EveryAcknowledgedMessage_PresentAfterRestart_UnderConcurrentLoad()
    {
        var settings = redis.GatewaySettings(Unique.Name("svc"));
        var group = Unique.Name("g");
        var acknowledged = new List<long>();
        string username;

        await using (var host = await GatewayHost.StartAsync(settings))
        {
            var publishers = new List<ChatSocket>();
            username = await host.RegisterAsync();
            for (var i = 0; i < 4; i++)
            {
                publishers.Add((await host.LoggedInAsync(username)).Socket);
            }

            await publishers[0].JoinAsync(group);
            var replies = await Task.WhenAll(publishers.SelectMany(p => Enumerable.Range(0, 100).Select(i => p.RequestAsync(new { type = "publish", group, text = $"load {i}" }))));
            acknowledged.AddRange(replies.Where(r => r.Type() == "ok").Select(r => r.GetProperty("seq").GetInt64()));
            foreach (var publisher in publishers)
            {
                await publisher.DisposeAsync();
            }
        }

        await using var restarted = await GatewayHost.StartAsync(settings);
        var (socket, _) = await restarted.LoggedInAsync(username);
        await using var _s = socket;
        var stored = new List<long>();
        var more = true;
        while (more)
        {
            var page = await socket.OkAsync(new { type = "history", group, after = stored.LastOrDefault(), limit = 200 });
            stored.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
            more = page.GetProperty("more").GetBoolean();
        }

        Assert.Equal(400, acknowledged.Count);
        Assert.Equal(acknowledged.Order(), stored);
    }

    [Fact]
    public async Task RedisStorageIsReallyUsed_NotMemory()
    {
        var settings = redis.GatewaySettings(Unique.Name("svc"));
        string username;
        await using (var host = await GatewayHost.StartAsync(settings))
        {
            username = await host.RegisterAsync();
        }

        await using var other = await GatewayHost.StartAsync(redis.GatewaySettings(Unique.Name("svc")));
        var login = await other.Http.PostAsJsonAsync("/api/login", new { username, password = Chatters.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);

        await using var same = await GatewayHost.StartAsync(settings);
        var again = await same.Http.PostAsJsonAsync("/api/login", new { username, password = Chatters.Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(JsonValueKind.String, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").ValueKind);
    }
}
