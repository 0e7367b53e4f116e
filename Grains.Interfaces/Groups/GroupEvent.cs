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

/// <summary>An owner or admin acted on a user (<see cref="By"/> did it); <see cref="Role"/> is the user's role afterwards.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.MemberChanged")]
public sealed record MemberChanged(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] MemberAction Action,
    [property: Id(3)] string By,
    [property: Id(4)] GroupRole Role) : GroupEvent;

/// <summary>
/// A stored message was edited or deleted: <see cref="Message"/> is how it is stored now, and <see cref="Rev"/>
/// the conversation's change counter this change took.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.MessageChanged")]
public sealed record MessageChanged(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] long Rev = 0) : GroupEvent;

/// <summary>The owner deleted the group: no more events follow.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.GroupDeleted")]
public sealed record GroupDeleted([property: Id(0)] string By) : GroupEvent;

[GenerateSerializer, Immutable, Alias("OrleansChat.UserTyping")]
public sealed record UserTyping(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username) : GroupEvent;
