namespace OrleansChat.Presence;

/// <summary>
/// How many sockets of one user a gateway holds. <see cref="Version"/> grows with every report a gateway
/// sends, so a report overtaken by a newer one is ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.SocketReport")]
public sealed record SocketReport(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayObserver Gateway,
    [property: Id(2)] int SocketCount,
    [property: Id(3)] long Version,
    [property: Id(4)] TimeSpan Lease);
