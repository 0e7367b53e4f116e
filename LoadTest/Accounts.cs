using OrleansChat.Client;

namespace OrleansChat.LoadTest;

/// <summary>Creates the run's users (fresh names each run), logs each in once and joins it to its group.</summary>
internal static class Accounts
{
    public const string Password = "load test password";

    /// <summary>Tokens by user index; user u belongs to group u % groups (to none with no groups).</summary>
    public static async Task<string[]> PrepareAsync(Uri server, string prefix, int users, int groups, CancellationToken cancellationToken)
    {
        var tokens = new string[users];
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (user, ct) =>
        {
            await using var client = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }, ct);
            var name = UserName(prefix, user);
            await client.RegisterAsync(name, Password, ct);
            tokens[user] = (await client.LoginAsync(name, Password, ct)).Token;
            if (groups > 0)
            {
                await client.JoinAsync(GroupName(prefix, user % groups), ct);
            }
        });
        return tokens;
    }

    public static string UserName(string prefix, int user) => $"{prefix}u{user}";

    public static string GroupName(string prefix, int group) => $"{prefix}g{group}";
}
