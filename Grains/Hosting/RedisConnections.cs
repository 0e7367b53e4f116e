using StackExchange.Redis;

namespace OrleansChat.Hosting;

/// <summary>How grain storage talks to Redis, so that an outage fails requests rather than stalls or replays them.</summary>
public static class RedisConnections
{
    /// <summary>
    /// Options from a connection string, with three changes from StackExchange.Redis's defaults:
    /// <list type="bullet">
    /// <item>Commands fail at once while Redis is unreachable (<see cref="BacklogPolicy.FailFast"/>). By default they
    /// wait in a backlog and are sent once Redis is back: a publish answered "unavailable" would then be stored
    /// after all, and delivered, after its sender was told it was not.</item>
    /// <item>A command Redis does not answer fails after 3 s rather than 5 s, well inside a client's wait.</item>
    /// <item>Not reaching Redis at start-up is no error: the connection keeps retrying and service starts when it
    /// answers.</item>
    /// </list>
    /// </summary>
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 3000;
        options.SyncTimeout = 3000;
        options.AbortOnConnectFail = false;
        return options;
    }
}
