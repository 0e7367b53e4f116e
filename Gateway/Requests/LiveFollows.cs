namespace OrleansChat.Gateway.Requests;

/// <summary>
/// Waits (briefly) for a socket to be live on its conversations' relays, so that events after the ok reach it.
/// A relay still retrying does not hold up the reply: it catches the socket up from history once it is live.
/// </summary>
internal static class LiveFollows
{
    private static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(5);

    public static async Task WhenLive(IEnumerable<Task> follows)
    {
        try
        {
            await Task.WhenAll(follows).WaitAsync(FollowWait);
        }
        catch (TimeoutException)
        {
        }
    }
}
