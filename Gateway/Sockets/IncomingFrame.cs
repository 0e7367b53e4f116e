namespace OrleansChat.Gateway.Sockets;

internal enum IncomingFrameKind
{
    Text,
    Binary,
    TooLarge,
    InvalidUtf8,
    Closed,
}

/// <summary>One whole message from the client. <see cref="Payload"/> is valid until the next read.</summary>
internal readonly record struct IncomingFrame(IncomingFrameKind Kind, ReadOnlyMemory<byte> Payload = default);
