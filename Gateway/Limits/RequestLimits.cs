using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Gateway.Limits;

/// <summary>
/// The abuse limits a socket's request must pass before it runs: the socket's own budgets, its user's, and
/// for registrations and logins its address's. Every refusal is counted in the metrics.
/// </summary>
internal sealed class RequestLimits(
    IOptions<LimitsOptions> options,
    UserAllowance users,
    AccountAttemptLimiter accountAttempts,
    GatewayMetrics metrics)
{
    /// <summary>
    /// The error that refuses the request, or null when it may run. A socket that has not signed in and is
    /// refused <see cref="LimitsOptions.RefusalsBeforeClose"/> times is a client ignoring rate_limited (for
    /// example one guessing tokens): it is closed with 1008 after this reply.
    /// </summary>
    public ChatException? Refusal(ChatConnection connection, ClientRequest request)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var refusal = RefusalOf(connection, request);
        if (refusal is not null && connection.User is null && connection.Allowance.RefusedTooOften())
        {
            connection.CloseAfterReply(WebSocketCloseStatus.PolicyViolation, "too many refused requests");
        }

        return refusal;
    }

    private ChatException? RefusalOf(ChatConnection connection, ClientRequest request)
    {
        var broken = connection.Allowance.Breaks(request)
            ?? (connection.User is { } user ? users.Breaks(user.UserId, request) : null);
        if (broken is { } limit)
        {
            metrics.RateLimited(limit);
            return limit switch
            {
                LimitKind.Publishes => ChatRules.TooManyPublishes(),
                LimitKind.Typing => ChatRules.TooManyTypingNotices(),
                LimitKind.MembershipChanges => ChatRules.TooManyMembershipChanges(),
                LimitKind.ReadMarkers => ChatRules.TooManyReadMarkers(),
                _ => ChatRules.TooManyRequests(),
            };
        }

        return request switch
        {
            RegisterRequest or LoginRequest or ChangePasswordRequest => accountAttempts.Refusal(connection.RemoteAddress),
            AuthRequest => accountAttempts.AuthenticationRefusal(connection.RemoteAddress),
            _ => null,
        };
    }

    /// <summary>
    /// Counts a wrong password or token, or a registration of a taken name, against the socket's address.
    /// </summary>
    public void Completed(ChatConnection connection, ClientRequest request, ChatErrorCode? error)
    {
        if ((request, error) is (LoginRequest or ChangePasswordRequest or AuthRequest, ChatErrorCode.Unauthorized) or (RegisterRequest, ChatErrorCode.Conflict))
        {
            accountAttempts.Failed(connection.RemoteAddress);
        }
    }
}
