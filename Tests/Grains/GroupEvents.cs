using System.Threading.Channels;
using Orleans.Streams;
using OrleansChat.Groups;

namespace OrleansChat.Tests.Grains;

/// <summary>A test's subscription to one group's stream; events are awaited, never polled for.</summary>
public sealed class GroupEvents : IAsyncDisposable
{
    private readonly Channel<GroupEvent> _events = Channel.CreateUnbounded<GroupEvent>();
    private StreamSubscriptionHandle<GroupEvent>? _subscription;

    public static async Task<GroupEvents> SubscribeAsync(IClusterClient client, string group)
    {
        var events = new GroupEvents();
        var stream = client.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(group));
        events._subscription = await stream.SubscribeAsync((groupEvent, _) => events._events.Writer.WriteAsync(groupEvent).AsTask());
        return events;
    }

    /// <summary>The next event of type <typeparamref name="T"/> that matches, skipping others (such as late joins).</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? match = null)
        where T : GroupEvent
    {
        while (true)
        {
            if (await _events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) is T candidate
                && (match is null || match(candidate)))
            {
                return candidate;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }
}
