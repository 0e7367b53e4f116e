using OrleansChat.Gateway.Overload;

namespace OrleansChat.Gateway;

/// <summary>The gateway's limits and timings, bound from the "Gateway" configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>"embedded" hosts a silo in this process; "client" joins a separate cluster through Redis.</summary>
    public string Mode { get; set; } = "embedded";

    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one grain call may take before the request is answered unavailable: well inside the 30 s a
    /// client waits (a request makes at most three calls in a row). Orleans' own default is 30 s.
    /// </summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxFrameBytes { get; set; } = 65_536;

    /// <summary>A socket whose unsent frames exceed this is closed with 1013.</summary>
    public long MaxOutboundBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Unsent bytes of all sockets together past which the sockets holding the most are closed with 1013;
    /// unset: a quarter of the memory the process may use.
    /// </summary>
    public long? OutboundBudgetBytes { get; set; }

    /// <summary>
    /// The kernel's send buffer per connection (SO_SNDBUF); unset: the system's own, which Linux grows to
    /// 4 MiB for a client that stops reading. A fixed size bounds that kernel memory per slow socket, and
    /// leaves what a slow client has not taken in the gateway's queues, where the bounds above apply.
    /// </summary>
    public int? SocketSendBufferBytes { get; set; }

    /// <summary>How long user grains count this gateway's sockets without hearing from it.</summary>
    public TimeSpan PresenceLease { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan PresenceRenewInterval { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often each subscribed group's last seq is checked, to repair a lost final message.</summary>
    public TimeSpan TailCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Origins (e.g. "https://chat.example.com") whose pages may open sockets; empty: this server's own only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How often the server pings a socket (WebSocket ping frames).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A socket that has not answered a ping within this long is dropped, as if it had closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing socket may take to answer the close handshake before it is dropped.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Strict-Transport-Security header to send (e.g. "max-age=31536000"), for a gateway served over TLS; unset: none.</summary>
    public string? StrictTransportSecurity { get; set; }

    /// <summary>
    /// Networks (CIDR, e.g. "10.0.0.0/8") of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed: behind an ingress every client would otherwise have the ingress's address, and share its
    /// per-address limits. Empty: the connection's own address counts.
    /// </summary>
    public string[] TrustedProxyNetworks { get; set; } = [];

    /// <summary>When publishes are answered overloaded ("Gateway:Overload").</summary>
    public OverloadOptions Overload { get; set; } = new();

    public bool IsClientMode => string.Equals(Mode, "client", StringComparison.OrdinalIgnoreCase);
}
