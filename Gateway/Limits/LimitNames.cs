namespace OrleansChat.Gateway.Limits;

/// <summary>How limits are named in metrics.</summary>
internal static class LimitNames
{
    public static string Of(LimitKind limit) => limit switch
    {
        LimitKind.SocketRequests => "socket_requests",
        LimitKind.Publishes => "publishes",
        LimitKind.Typing => "typing",
        LimitKind.MembershipChanges => "membership_changes",
        LimitKind.SignIns => "sign_ins",
        LimitKind.ReadMarkers => "read_markers",
        _ => "account_attempts",
    };
}
