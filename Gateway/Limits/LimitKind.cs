namespace OrleansChat.Gateway.Limits;

/// <summary>Which limit refused a request; the metrics and logs name it.</summary>
internal enum LimitKind
{
    SocketRequests,
    Publishes,
    Typing,
    MembershipChanges,
    SignIns,
    ReadMarkers,
    AccountAttempts,
}
