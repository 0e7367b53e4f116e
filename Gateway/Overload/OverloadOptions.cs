namespace OrleansChat.Gateway.Overload;

/// <summary>
/// When the gateway answers publishes <c>overloaded</c> instead of taking on more than it can deliver in
/// time, bound from "Gateway:Overload". A publish is refused while either delay passes its bound.
/// </summary>
public sealed class OverloadOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How late the group's messages may reach this gateway's sockets: from stored to queued for them, as the
    /// least late of those the group's relay forwarded within <see cref="LagWindow"/>, or how long a message
    /// acknowledged here has been waiting to come back off the stream, whichever is larger.
    /// </summary>
    public TimeSpan MaxDeliveryLag { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long work may wait for a thread here: socket writes and grain turns all queue there when the CPU is short.</summary>
    public TimeSpan MaxThreadPoolDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long every forwarded message must have been late before publishes are refused: long enough that a
    /// burst or a GC pause passes, short enough that a queue which does not drain is caught before it is long.
    /// </summary>
    public TimeSpan LagWindow { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How often the thread pool's delay is measured.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The retry hint is the delay seen, kept between these two.</summary>
    public TimeSpan MinRetryAfter { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
