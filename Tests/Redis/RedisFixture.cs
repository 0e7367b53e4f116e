using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>One redis-server for the Redis tests; each test uses its own Orleans ServiceId, so keys never collide.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Settings for a gateway storing in this Redis under a service id of the test's choosing.</summary>
    public (string, string)[] GatewaySettings(string serviceId) =>
    [
        ("ConnectionStrings:Redis", Server.ConnectionString),
        ("Orleans:ServiceId", serviceId),
    ];
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
