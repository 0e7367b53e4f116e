namespace OrleansChat.Tests.Infrastructure;

/// <summary>For state that changes in the background with no event to await: checks until true or times out.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? ChatSocketTestExtensions.Timeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Repeats an action until its result passes the check; returns that result.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> action, Func<T, bool> check, string what)
    {
        var deadline = DateTime.UtcNow + ChatSocketTestExtensions.Timeout;
        while (true)
        {
            var result = await action();
            if (check(result))
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}
