using System.Diagnostics;

namespace OrleansChat.LoadTest;

/// <summary>
/// Opens many sockets at a given rate, spread over the servers, each authenticated and joined to its group; or,
/// for direct messages, authenticated with the protocol revision that has them (the user's conversation it then
/// follows is the socket's <see cref="LoadSocket.Group"/>, "@" and the other user).
/// </summary>
internal static class SocketFleet
{
    public static async Task<(List<LoadSocket> Sockets, int Errors)> ConnectAsync(
        IReadOnlyList<Uri> servers, int count, int perSecond, LoadStatistics statistics, Func<int, (string Token, string Group)> assignment, CancellationToken cancellationToken,
        bool direct = false)
    {
        var addresses = servers.Select(Client.ChatSocket.WebSocketAddress).ToArray();
        var sockets = new LoadSocket?[count];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var due = TimeSpan.FromSeconds(index / (double)perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            var (token, group) = assignment(index);
            var socket = new LoadSocket(statistics) { Group = group, StartSeq = direct ? DirectPairs.StartSeq : 0 };
            try
            {
                await socket.ConnectAsync(addresses[index % addresses.Length], ct);
                if (direct
                    ? await socket.RequestAsync($$"""{"type":"auth","token":"{{token}}","protocol":2}""", ct)
                    : await socket.RequestAsync($$"""{"type":"auth","token":"{{token}}"}""", ct)
                        && await socket.RequestAsync($$"""{"type":"join","group":"{{group}}"}""", ct))
                {
                    sockets[index] = socket;
                    return;
                }
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or TimeoutException)
            {
            }

            Interlocked.Increment(ref errors);
            await socket.DisposeAsync();
        });
        return (sockets.OfType<LoadSocket>().ToList(), errors);
    }
}
