using OrleansChat.Presence;

namespace OrleansChat.Gateway.Presence;

/// <summary>
/// Who this gateway is to the user grains: an id unique to this process (so a restarted gateway never
/// looks like the old one) and a callback reference for membership changes.
/// </summary>
internal sealed class GatewayIdentity(IGrainFactory grains, GatewayObserver observer)
{
    private readonly Lazy<IGatewayObserver> _reference = new(() => grains.CreateObjectReference<IGatewayObserver>(observer));

    public string Id { get; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    public IGatewayObserver Reference => _reference.Value;
}
