namespace OrleansChat.Client;

public sealed class ChatClientOptions
{
    /// <summary>How long a request waits for its reply before failing with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnect, re-authenticate and catch up by itself when the connection drops.</summary>
    public bool Reconnect { get; init; } = true;

    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);
}
