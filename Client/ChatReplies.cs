namespace OrleansChat.Client;

public sealed record Account(string UserId, string Username);

public sealed record LoginResult(string Token, string UserId, string Username, DateTimeOffset ExpiresAt);

public sealed record Member(string UserId, string Username, bool Online);

public sealed record JoinResult(string Group, long LastSeq, IReadOnlyList<Member> Members);

public sealed record PublishResult(string Group, long Seq, DateTimeOffset Ts);

public sealed record HistoryPage(string Group, IReadOnlyList<MessageReceived> Messages, bool More);

public sealed record GroupInfo(string Group, long LastSeq);
