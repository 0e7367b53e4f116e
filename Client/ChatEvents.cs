namespace OrleansChat.Client;

/// <summary>What a <see cref="ChatClient"/> reports on its event stream.</summary>
public abstract record ChatEvent;

/// <summary>A group message, live or caught up after a reconnect; each seq of a group is reported once, in order.</summary>
public sealed record MessageReceived(string Group, long Seq, string From, string Text, DateTimeOffset Ts, string? ClientMsgId) : ChatEvent;

/// <summary>Status is one of "joined", "left", "online", "offline".</summary>
public sealed record PresenceChanged(string Group, string User, string Status) : ChatEvent;

public sealed record UserTyping(string Group, string User) : ChatEvent;

/// <summary>The connection dropped; the client is reconnecting (when enabled).</summary>
public sealed record ConnectionLost(string Reason) : ChatEvent;

/// <summary>Connected and authenticated again, with every missed message already reported.</summary>
public sealed record Reconnected(int MissedMessages) : ChatEvent;
