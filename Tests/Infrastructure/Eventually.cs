namespace OrleansChat.Tests.Infrastructure;

/// <summary>For state that changes in the background with no event to await: checks until true or times out.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + ChatSocketTestExtensions.Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}
