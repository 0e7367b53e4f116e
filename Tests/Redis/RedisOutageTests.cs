using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>
/// Redis stopped under a running gateway and started again: requests that need storage fail fast with
/// unavailable, nothing unacknowledged is stored or delivered, and service resumes without a restart.
/// </summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RedisDown_PublishAndJoinUnavailable_NothingHalfWritten_ResumesWhenRedisReturns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await GatewayHost.StartAsync(("ConnectionStrings:Redis", redis.ConnectionString), ("Orleans:ServiceId", Unique.Name("svc")));
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var ((writer, _), (reader, _), group) = (room[0], room[1], room.Group);
        await writer.PublishAsync(group, "before");
        await reader.NextEventAsync("message", group);

        await redis.StopAsync();
        var (lost, lostTime) = await TimedAsync(() => writer.RequestAsync(new { type = "publish", group, text = "lost", clientMsgId = "m-lost" }));
        var otherGroup = Unique.Name("g");
        var (refusedJoin, joinTime) = await TimedAsync(() => writer.RequestAsync(new { type = "join", group = otherGroup }));

        Assert.Equal("unavailable", lost.Str("code"));
        Assert.Equal("unavailable", refusedJoin.Str("code"));
        Assert.True(lostTime < FailFast && joinTime < FailFast, $"publish took {lostTime}, join {joinTime}");

        await redis.RestartAsync();
        var after = await Eventually.ValueAsync(
            () => writer.RequestAsync(new { type = "publish", group, text = "after", clientMsgId = "m-after" }),
            reply => reply.Type() == "ok",
            "publishing works again");

        Assert.Equal(2, after.GetProperty("seq").GetInt64());
        var delivered = await reader.NextEventAsync("message", group);
        Assert.Equal(("after", 2), (delivered.Str("text"), delivered.GetProperty("seq").GetInt32()));
        var history = await writer.OkAsync(new { type = "history", group });
        Assert.Equal(["before", "after"], history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
        var groups = await writer.OkAsync(new { type = "groups" });
        Assert.Equal([group], groups.GetProperty("groups").EnumerateArray().Select(g => g.Str("group")));
    }

    [Fact]
    public async Task RedisRefusingWrites_PublishAndJoinUnavailable_NeverInternal_ResumesWhenItAcceptsThemAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await GatewayHost.StartAsync(("ConnectionStrings:Redis", redis.ConnectionString), ("Orleans:ServiceId", Unique.Name("svc")));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var ((writer, _), group) = (room[0], room.Group);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var server = admin.GetServer(redis.ConnectionString);

        // Out of memory with no eviction: Redis answers every write with an error (OOM command not allowed).
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1");
        var refusedPublish = await writer.RequestAsync(new { type = "publish", group, text = "refused", clientMsgId = "m-oom" });
        var refusedJoin = await writer.RequestAsync(new { type = "join", group = Unique.Name("g") });
        var refusedRegister = await host.Http.PostAsJsonAsync("/api/register", new { username = Unique.Name(), password = Chatters.Password });
        await server.ConfigSetAsync("maxmemory", "0");

        Assert.Equal(("unavailable", "unavailable"), (refusedPublish.Str("code"), refusedJoin.Str("code")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedRegister.StatusCode);
        Assert.Equal(1, await writer.PublishAsync(group, "accepted again"));
    }

    private static async Task<(T Result, TimeSpan Took)> TimedAsync<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await action();
        return (result, Stopwatch.GetElapsedTime(started));
    }
}
