using OrleansChat.History;

namespace OrleansChat.Groups;

/// <summary>What a group emits on its stream for gateways to relay to their sockets.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.GroupEvent")]
public abstract record GroupEvent;

/// <summary>Messages stored by one write, in seq order with no gaps between them.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.MessagesStored")]
public sealed record MessagesStored([property: Id(0)] IReadOnlyList<ChatMessage> Messages) : GroupEvent;

[GenerateSerializer, Immutable, Alias("OrleansChat.PresenceChanged")]
public sealed record PresenceChanged(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] PresenceStatus Status) : GroupEvent;

[GenerateSerializer, Immutable, Alias("OrleansChat.UserTyping")]
public sealed record UserTyping(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username) : GroupEvent;
