namespace OrleansChat.Gateway.Protocol;

/// <summary>The wire type of a parsed request, as metrics name it ("invalid" for a frame that is no valid request).</summary>
internal static class RequestNames
{
    public static string Of(ClientRequest request) => request switch
    {
        RegisterRequest => "register",
        LoginRequest => "login",
        AuthRequest => "auth",
        LogoutRequest => "logout",
        ChangePasswordRequest => "change_password",
        JoinRequest => "join",
        LeaveRequest => "leave",
        PublishRequest => "publish",
        HistoryRequest => "history",
        MembersRequest => "members",
        GroupsRequest => "groups",
        TypingRequest => "typing",
        PingRequest => "ping",
        DirectRequest => "direct",
        DirectHistoryRequest => "history",
        ConversationsRequest => "conversations",
        BlockRequest { Blocked: true } => "block",
        BlockRequest => "unblock",
        ForgetRequest => "forget",
        ChangesRequest => "changes",
        ReadRequest => "read",
        EditRequest => "edit",
        DeleteRequest => "delete",
        CreateRequest => "create",
        ModerateRequest moderate => WireNames.RequestOf(moderate.Action),
        DeleteGroupRequest => "delete_group",
        _ => "invalid",
    };
}
