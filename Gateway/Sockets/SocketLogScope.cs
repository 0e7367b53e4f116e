using System.Collections;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// The logging scope of everything logged about one socket: its id, and its username once it has signed in
/// (read when a line is written, so lines after the login carry it). Never the token or password.
/// </summary>
internal sealed class SocketLogScope(ChatConnection connection) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("SocketId", connection.Id),
        1 => new("Username", connection.User?.Username),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => connection.User is { } user ? $"socket {connection.Id} ({user.Username})" : $"socket {connection.Id}";
}
