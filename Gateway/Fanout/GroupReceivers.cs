using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// The receivers of one group on this gateway, and the writing of one frame to all of them.
/// <see cref="FollowTable"/> is their only writer (under its lock) and replaces the array on every change,
/// so the group's relay reads a snapshot without a lock and may deliver to it while sockets come and go.
/// </summary>
internal sealed class GroupReceivers
{
    /// <summary>
    /// Up to this many receivers the relay's loop writes to them itself, which saves a thread-pool hop per
    /// socket; a larger group's writes go to the thread pool so that they spread over the cores rather than
    /// queue behind one loop (5,000 sockets in one group took seconds per message on one thread).
    /// </summary>
    internal const int WriteHereUpTo = 256;

    private volatile Receiver[] _all = [];

    public Receiver[] All => _all;

    public int Count => _all.Length;

    public bool Contains(Receiver receiver) => Array.IndexOf(_all, receiver) >= 0;

    public Receiver? Of(ChatConnection socket) => Array.Find(_all, receiver => receiver.Socket == socket);

    public void Add(Receiver receiver) => _all = [.. _all, receiver];

    public void Remove(Receiver receiver) => _all = Array.FindAll(_all, other => other != receiver);

    /// <summary>Sends a message's frame to each live receiver that starts below its seq; returns how many took it.</summary>
    public int SendMessage(long seq, MessageFrames frames)
    {
        var all = _all;
        var writeHere = all.Length <= WriteHereUpTo;
        var sent = 0;
        foreach (var receiver in all)
        {
            if (seq > receiver.LiveAfter && receiver.Socket.Send(frames.For(receiver.Socket), writeHere))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>Sends a frame of protocol revision 2 to each live receiver that asked for it; returns how many took it.</summary>
    public int SendToRevision2(byte[] frame) => SendToRevision2(new MessageFrames(frame, null, ""));

    /// <summary>Sends frames of protocol revision 2 (the sender's own where they differ) to each live receiver that asked for them.</summary>
    public int SendToRevision2(MessageFrames frames)
    {
        var all = _all;
        var writeHere = all.Length <= WriteHereUpTo;
        var sent = 0;
        foreach (var receiver in all)
        {
            if (receiver.IsAdmitted && receiver.Socket.SpeaksRevision2 && receiver.Socket.Send(frames.For(receiver.Socket), writeHere))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>Sends a presence or typing frame to each live receiver but the user's own sockets; returns how many took it.</summary>
    public int SendToOthersThan(string userId, byte[] frame)
    {
        var all = _all;
        var writeHere = all.Length <= WriteHereUpTo;
        var sent = 0;
        foreach (var receiver in all)
        {
            if (receiver.IsAdmitted && receiver.Socket.User?.UserId != userId && receiver.Socket.Send(frame, writeHere))
            {
                sent++;
            }
        }

        return sent;
    }
}
