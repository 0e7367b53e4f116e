using System.Globalization;
using OrleansChat.Errors;
using OrleansChat.Groups;

namespace OrleansChat.Gateway.Protocol;

/// <summary>How enums and times are spelled on the wire.</summary>
internal static class WireNames
{
    public static string Of(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest => "bad_request",
        ChatErrorCode.Unauthorized => "unauthorized",
        ChatErrorCode.Forbidden => "forbidden",
        ChatErrorCode.NotFound => "not_found",
        ChatErrorCode.Conflict => "conflict",
        ChatErrorCode.TooLarge => "too_large",
        ChatErrorCode.RateLimited => "rate_limited",
        ChatErrorCode.Unavailable => "unavailable",
        ChatErrorCode.Overloaded => "overloaded",
        _ => "internal",
    };

    public static string Of(PresenceStatus status) => status switch
    {
        PresenceStatus.Joined => "joined",
        PresenceStatus.Left => "left",
        PresenceStatus.Online => "online",
        _ => "offline",
    };

    public static string Of(GroupRole role) => role switch
    {
        GroupRole.Owner => "owner",
        GroupRole.Admin => "admin",
        _ => "member",
    };

    public static string Of(GroupVisibility visibility) => visibility == GroupVisibility.Private ? "private" : "public";

    /// <summary>What a <c>member</c> event says happened: the action done, in the past tense ("owner": made the owner).</summary>
    public static string Of(MemberAction action) => action switch
    {
        MemberAction.Invite => "invited",
        MemberAction.Kick => "kicked",
        MemberAction.Ban => "banned",
        MemberAction.Unban => "unbanned",
        MemberAction.Promote => "promoted",
        MemberAction.Demote => "demoted",
        _ => "owner",
    };

    /// <summary>The request type of an owner's or admin's action: the action's name in lower case ("invite", "transfer").</summary>
    public static string RequestOf(MemberAction action) => action.ToString().ToLowerInvariant();

    /// <summary>The action of each moderation request type.</summary>
    public static readonly IReadOnlyDictionary<string, MemberAction> ModerationRequests =
        Enum.GetValues<MemberAction>().ToDictionary(RequestOf);

    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
