using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Presence;
using OrleansChat.Limits;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Binds a socket to the user it logged in or authenticated as: once per socket, within the sockets-per-user
/// limit and the user's sign-in rate, and counted in the user's presence from then on. Signing in again as
/// the same user changes nothing.
/// </summary>
/// <remarks>
/// The sign-in rate is taken only once the credentials have been checked, so nobody but the user can use it
/// up; it bounds the presence changes (an event to every member of every group) a user reconnecting in a
/// loop makes.
/// </remarks>
internal sealed class SocketSignIn(
    ConnectionRegistry registry,
    PresenceReporter presence,
    UserAllowance allowance,
    GatewayMetrics metrics,
    IOptions<LimitsOptions> limits)
{
    /// <summary>
    /// Refuses early when the socket could not be bound to the user anyway, so that a login past the
    /// sockets-per-user limit or the sign-in rate does not make a session first. <see cref="BindAsync"/>
    /// checks again (and only it takes a sign-in, once the password has been checked).
    /// </summary>
    public void EnsureRoomFor(ChatConnection connection, string userId)
    {
        if (connection.User is not null)
        {
            return;
        }

        if (!registry.HasRoomFor(userId))
        {
            throw ChatRules.TooManySockets(limits.Value.SocketsPerUser);
        }

        if (limits.Value.Enabled && !allowance.HasSignIn(userId))
        {
            throw SignInRefused();
        }
    }

    public async Task BindAsync(ChatConnection connection, UserIdentity user)
    {
        if (connection.User is { } current)
        {
            if (current.UserId != user.UserId)
            {
                throw new ChatException(ChatErrorCode.Conflict, $"this socket is already logged in as {current.Username}");
            }

            return;
        }

        if (limits.Value.Enabled && !allowance.TakeSignIn(user.UserId))
        {
            throw SignInRefused();
        }

        if (!registry.TryAuthenticate(connection, user.UserId))
        {
            throw ChatRules.TooManySockets(limits.Value.SocketsPerUser);
        }

        connection.SetUser(user);
        await presence.SocketOpenedAsync(user.UserId);
    }

    /// <summary>The sign-in rate's refusal, counted in the metrics.</summary>
    private ChatException SignInRefused()
    {
        metrics.RateLimited(LimitKind.SignIns);
        return ChatRules.TooManySignIns();
    }
}
