using Orleans.Runtime.Messaging;
using OrleansChat.Rules;

namespace OrleansChat.Hosting;

/// <summary>
/// A call one of our grains makes that the cluster refuses (the message was rejected or could not be sent)
/// is answered to that grain's own caller as unavailable. The caller's call did run, so letting the refusal
/// travel on would make the gateway retry it as if it had not, repeating what it already did.
/// </summary>
internal sealed class GrainCallRefusals : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.SourceContext?.GrainInstance?.GetType().Assembly != typeof(GrainCallRefusals).Assembly)
        {
            await context.Invoke();
            return;
        }

        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is OrleansMessageRejectionException or ConnectionFailedException)
        {
            throw ChatRules.ClusterUnreachable();
        }
    }
}
