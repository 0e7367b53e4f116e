using Microsoft.Extensions.Options;
using OrleansChat.Errors;
using OrleansChat.Gateway.Presence;
using OrleansChat.Limits;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Binds a socket to the user it logged in or authenticated as: once per socket, within the sockets-per-user
/// limit, and counted in the user's presence from then on. Signing in again as the same user changes nothing.
/// </summary>
internal sealed class SocketSignIn(ConnectionRegistry registry, PresenceReporter presence, IOptions<LimitsOptions> limits)
{
    /// <summary>
    /// Refuses early when the socket could not be bound to the user anyway, so that a login past the
    /// sockets-per-user limit does not make a session first. <see cref="BindAsync"/> checks again.
    /// </summary>
    public void EnsureRoomFor(ChatConnection connection, string userId)
    {
        if (connection.User is null && !registry.HasRoomFor(userId))
        {
            throw ChatRules.TooManySockets(limits.Value.SocketsPerUser);
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

        if (!registry.TryAuthenticate(connection, user.UserId))
        {
            throw ChatRules.TooManySockets(limits.Value.SocketsPerUser);
        }

        connection.SetUser(user);
        await presence.SocketOpenedAsync(user.UserId);
    }
}
