using OrleansChat.Client;

namespace OrleansChat.LoadTest;

/// <summary>
/// The users of the direct-message load, in pairs: user 2k writes with user 2k+1. Each pair's conversation is
/// started (its seq 1) before the sockets connect, so that every socket follows it from its sign-in on.
/// </summary>
internal static class DirectPairs
{
    /// <summary>The seq of the message that started each conversation; the measured ones come after it.</summary>
    public const long StartSeq = 1;

    /// <summary>What a user's sockets follow, named as their publish frames address it: "@" and the other user.</summary>
    public static string ConversationOf(string prefix, int user) => "@" + Accounts.UserName(prefix, user ^ 1);

    public static async Task<string[]> PrepareAsync(Uri server, string prefix, int users, CancellationToken cancellationToken)
    {
        if (users % 2 != 0)
        {
            throw new ArgumentException($"direct messages need users in pairs, not {users}", nameof(users));
        }

        var tokens = await Accounts.PrepareAsync(server, prefix, users, groups: 0, cancellationToken);
        await ForEachPairAsync(server, tokens, (client, pair, ct) =>
            client.DirectAsync(Accounts.UserName(prefix, (2 * pair) + 1), "start", cancellationToken: ct), cancellationToken);
        return tokens;
    }

    /// <summary>Each conversation's last seq, under the names both its users' sockets know it by.</summary>
    public static async Task<Dictionary<string, long>> FinalSeqsAsync(Uri server, string prefix, string[] tokens, CancellationToken cancellationToken)
    {
        var seqs = new Dictionary<string, long>();
        var seqsLock = new Lock();
        await ForEachPairAsync(server, tokens, async (client, pair, ct) =>
        {
            var lastSeq = (await client.ConversationsAsync(ct)).Single().LastSeq;
            lock (seqsLock)
            {
                seqs[ConversationOf(prefix, 2 * pair)] = lastSeq;
                seqs[ConversationOf(prefix, (2 * pair) + 1)] = lastSeq;
            }
        }, cancellationToken);
        return seqs;
    }

    /// <summary>Runs an action for each pair with a client signed in as the pair's first user.</summary>
    private static Task ForEachPairAsync(Uri server, string[] tokens, Func<ChatClient, int, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, tokens.Length / 2), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (pair, ct) =>
        {
            await using var client = await ChatClient.ConnectAsync(server, new ChatClientOptions { Reconnect = false }, ct);
            await client.AuthenticateAsync(tokens[2 * pair], ct);
            await action(client, pair, ct);
        });
}
