using System.Diagnostics;
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

    private static async Task<(T Result, TimeSpan Took)> TimedAsync<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await action();
        return (result, Stopwatch.GetElapsedTime(started));
    }
}
