using OrleansChat.Client;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>A fresh group whose members each have one logged-in socket; disposing closes the sockets.</summary>
public sealed class ChatRoom : IAsyncDisposable
{
    private readonly List<(ChatSocket Socket, string Username)> _members;

    private ChatRoom(string group, List<(ChatSocket Socket, string Username)> members)
    {
        Group = group;
        _members = members;
    }

    public string Group { get; }

    public (ChatSocket Socket, string Username) this[int index] => _members[index];

    public static async Task<ChatRoom> OpenAsync(GatewayHost host, int members)
    {
        var group = Unique.Name("g");
        var joined = new List<(ChatSocket, string)>();
        for (var i = 0; i < members; i++)
        {
            var (socket, username) = await host.LoggedInAsync();
            await socket.JoinAsync(group);
            joined.Add((socket, username));
        }

        return new ChatRoom(group, joined);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (socket, _) in _members)
        {
            await socket.DisposeAsync();
        }
    }
}
