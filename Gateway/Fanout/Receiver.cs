using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// One socket following one group. The group's relay delivers it the messages above <see cref="LiveAfter"/>,
/// which stays unset until the relay has admitted it (and caught it up from history where it started
/// behind), so that no live message can overtake its catch-up.
/// </summary>
internal sealed class Receiver(ChatConnection socket, long startSeq)
{
    private const long NotAdmitted = long.MaxValue;

    public ChatConnection Socket => socket;

    /// <summary>The seq the socket has already seen (from a join reply or its groups list); it gets those above.</summary>
    public long StartSeq => startSeq;

    /// <summary>Read and written only on the relay's loop.</summary>
    public long LiveAfter { get; set; } = NotAdmitted;

    public bool IsAdmitted => LiveAfter != NotAdmitted;
}
