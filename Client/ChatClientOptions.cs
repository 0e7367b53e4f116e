namespace OrleansChat.Client;

public sealed class ChatClientOptions
{
    /// <summary>How long a request waits for its reply before failing with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnect, re-authenticate and catch up by itself when the connection drops.</summary>
    public bool Reconnect { get; init; } = true;

    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <see cref="ChatClient.PublishAsync"/> goes on sending a publish the server refused as
    /// overloaded, waiting the server's hint (growing, with jitter) between tries; zero: not at all.
    /// </summary>
    public TimeSpan RetryOverloadedFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Told the wait before each retry of an overloaded publish, e.g. to let the user know.</summary>
    public Action<TimeSpan>? OnOverloaded { get; init; }
}
