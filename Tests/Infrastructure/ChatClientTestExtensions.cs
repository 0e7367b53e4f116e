using OrleansChat.Client;

namespace OrleansChat.Tests.Infrastructure;

public static class ChatClientTestExtensions
{
    /// <summary>The next event of type <typeparamref name="T"/> that matches, skipping others; fails on timeout.</summary>
    public static async Task<T> NextEventAsync<T>(this ChatClient client, Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : ChatEvent
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await client.Events.ReadAsync(deadline.Token) is T candidate && (match is null || match(candidate)))
            {
                return candidate;
            }
        }
    }
}
