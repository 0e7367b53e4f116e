namespace OrleansChat.Gateway.Protocol;

/// <summary>
/// The protocol revisions a client may ask for with <c>"protocol"</c> at login or auth. A socket receives the
/// events of a later revision only once it has asked for it, so a version 1 client never meets a frame type it
/// does not know.
/// </summary>
internal static class ProtocolRevisions
{
    public const int First = 1;

    /// <summary>Adds direct messages (the <c>direct</c> event, and following the user's conversations) and read markers (the <c>read</c> event).</summary>
    public const int Two = 2;

    public const int Latest = Two;

    public static bool IsKnown(int revision) => revision is >= First and <= Latest;
}
