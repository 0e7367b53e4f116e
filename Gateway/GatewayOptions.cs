namespace OrleansChat.Gateway;

/// <summary>The gateway's limits and timings, bound from the "Gateway" configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>"embedded" hosts a silo in this process; "client" joins a separate cluster through Redis.</summary>
    public string Mode { get; set; } = "embedded";

    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxFrameBytes { get; set; } = 65_536;

    /// <summary>A socket whose unsent frames exceed this is closed with 1013.</summary>
    public long MaxOutboundBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Requests one socket may make per second on average (a token bucket).</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Requests one socket may make in a burst above the average.</summary>
    public int RequestBurst { get; set; } = 200;

    /// <summary>Registrations and logins one client address may attempt per second on average.</summary>
    public int AccountAttemptsPerSecond { get; set; } = 20;

    public int AccountAttemptBurst { get; set; } = 40;

    /// <summary>How long user grains count this gateway's sockets without hearing from it.</summary>
    public TimeSpan PresenceLease { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan PresenceRenewInterval { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often each subscribed group's last seq is checked, to repair a lost final message.</summary>
    public TimeSpan TailCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a closing socket may take to answer the close handshake before it is dropped.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsClientMode => string.Equals(Mode, "client", StringComparison.OrdinalIgnoreCase);
}
