using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace OrleansChat.Groups;

/// <summary>
/// Emits a conversation's events on its stream, for the gateways to relay to their sockets. Live delivery is best
/// effort: an event the stream loses is one the gateways repair from history (messages) or can do without
/// (presence and typing, which the next member list shows).
/// </summary>
internal sealed class GroupEventStream(IAsyncStream<GroupEvent> stream, string conversation, ILogger logger)
{
    public async Task EmitAsync(GroupEvent groupEvent)
    {
        try
        {
            await stream.OnNextAsync(groupEvent);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not emit {Event} on the stream of {Conversation}", groupEvent.GetType().Name, conversation);
        }
    }
}
