using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Presence;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Requests;

/// <summary>Turns each request into grain calls and its outcome into exactly one reply (or none, as the protocol says).</summary>
internal sealed class RequestHandler(
    IGrainFactory grains,
    ConnectionRegistry registry,
    GroupFeeds feeds,
    PresenceReporter presence,
    AccountAttemptLimiter accountAttempts,
    ILogger<RequestHandler> logger)
{
    private static readonly TimeSpan AttachWait = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(ChatConnection connection, ClientRequest request)
    {
        byte[] reply;
        try
        {
            reply = await RejectedCallRetry.RunAsync(() => DispatchAsync(connection, request));
        }
        catch (Exception ex)
        {
            var (code, message) = GrainErrors.Describe(ex);
            if (code == ChatErrorCode.Internal)
            {
                logger.LogError(ex, "Request {Type} failed", request.GetType().Name);
            }
            else if (code == ChatErrorCode.Unavailable)
            {
                logger.LogWarning(ex, "Request {Type} failed: the cluster did not answer", request.GetType().Name);
            }

            connection.Send(ServerFrames.Error(request.Id, code, message));
            return;
        }

        // A request without an id is answered only when it fails; a ping always gets its pong.
        if (request.Id.IsPresent || request is PingRequest)
        {
            connection.Send(reply);
        }
    }

    private Task<byte[]> DispatchAsync(ChatConnection connection, ClientRequest request)
    {
        if (request is InvalidRequest invalid)
        {
            throw new ChatException(invalid.Code, invalid.Message);
        }

        if (request is RegisterRequest or LoginRequest && !accountAttempts.TryAcquire(connection.RemoteAddress))
        {
            throw new ChatException(ChatErrorCode.RateLimited, "too many registrations or logins; slow down");
        }

        return request switch
        {
            PingRequest => Task.FromResult(ServerFrames.Pong(request.Id)),
            RegisterRequest register => RegisterAsync(register),
            LoginRequest login => LoginAsync(connection, login),
            AuthRequest auth => AuthenticateAsync(connection, auth),
            _ when connection.User is null => throw new ChatException(ChatErrorCode.Unauthorized, "log in or authenticate first"),
            JoinRequest join => JoinAsync(connection, connection.User, join),
            LeaveRequest leave => LeaveAsync(connection, connection.User, leave),
            PublishRequest publish => PublishAsync(connection.User, publish),
            HistoryRequest history => HistoryAsync(connection.User, history),
            MembersRequest members => MembersAsync(connection.User, members),
            GroupsRequest => GroupsAsync(connection.User, request.Id),
            TypingRequest typing => TypingAsync(connection.User, typing),
            _ => throw new ChatException(ChatErrorCode.BadRequest, "unknown request"),
        };
    }

    private async Task<byte[]> RegisterAsync(RegisterRequest request)
    {
        var user = await UserGrain(request.Username).Register(request.Username, request.Password);
        return ServerFrames.Ok(request.Id, writer => WriteIdentity(writer, user));
    }

    private async Task<byte[]> LoginAsync(ChatConnection connection, LoginRequest request)
    {
        var ticket = await UserGrain(request.Username).Login(request.Password);
        await AuthenticateSocketAsync(connection, ticket.User);
        return ServerFrames.Ok(request.Id, writer =>
        {
            writer.WriteString("token", ticket.Token);
            WriteIdentity(writer, ticket.User);
            writer.WriteString("expiresAt", WireNames.Timestamp(ticket.ExpiresAt));
        });
    }

    private async Task<byte[]> AuthenticateAsync(ChatConnection connection, AuthRequest request)
    {
        if (!SessionToken.TryParse(request.Token, out var userId, out _))
        {
            throw new ChatException(ChatErrorCode.Unauthorized, "invalid or expired token");
        }

        var user = await grains.GetGrain<IUserGrain>(userId).Authenticate(request.Token);
        await AuthenticateSocketAsync(connection, user);
        return ServerFrames.Ok(request.Id, writer => WriteIdentity(writer, user));
    }

    /// <summary>
    /// Binds the socket to the user and starts its feeds at each group's current seq: the socket gets
    /// every message stored from here on. Repeating it for the same user re-attaches any feed a failed
    /// first attempt missed.
    /// </summary>
    private async Task AuthenticateSocketAsync(ChatConnection connection, UserIdentity user)
    {
        if (connection.User is { } current && current.UserId != user.UserId)
        {
            throw new ChatException(ChatErrorCode.Conflict, $"this socket is already logged in as {current.Username}");
        }

        if (connection.User is null)
        {
            connection.SetUser(user);
            registry.Authenticated(connection, user.UserId);
            await presence.SocketOpenedAsync(user.UserId);
        }

        var groups = await grains.GetGrain<IUserGrain>(user.UserId).GetGroups();
        await WhenAttached(groups.Select(group => feeds.Attach(group.Group, connection, group.LastSeq)));
    }

    private async Task<byte[]> JoinAsync(ChatConnection connection, UserIdentity user, JoinRequest request)
    {
        var outcome = await grains.GetGrain<IUserGrain>(user.UserId).JoinGroup(request.Group);
        await WhenAttached([feeds.Attach(request.Group, connection, outcome.LastSeq)]);
        return ServerFrames.Ok(request.Id, writer =>
        {
            writer.WriteString("group", request.Group);
            writer.WriteNumber("lastSeq", outcome.LastSeq);
            ServerFrames.WriteMembers(writer, outcome.Members);
        });
    }

    private async Task<byte[]> LeaveAsync(ChatConnection connection, UserIdentity user, LeaveRequest request)
    {
        await grains.GetGrain<IUserGrain>(user.UserId).LeaveGroup(request.Group);
        feeds.Detach(request.Group, connection);
        return ServerFrames.Ok(request.Id, writer => writer.WriteString("group", request.Group));
    }

    private async Task<byte[]> PublishAsync(UserIdentity user, PublishRequest request)
    {
        var receipt = await grains.GetGrain<IGroupGrain>(request.Group).Publish(user.UserId, request.Text, request.ClientMsgId);
        return ServerFrames.Ok(request.Id, writer =>
        {
            writer.WriteString("group", request.Group);
            writer.WriteNumber("seq", receipt.Seq);
            writer.WriteString("ts", WireNames.Timestamp(receipt.Ts));
        });
    }

    private async Task<byte[]> HistoryAsync(UserIdentity user, HistoryRequest request)
    {
        var result = await grains.GetGrain<IHistoryReaderGrain>(request.Group).Read(user.UserId, request.Query);
        return ServerFrames.Ok(request.Id, writer =>
        {
            writer.WriteString("group", request.Group);
            writer.WriteStartArray("messages");
            foreach (var message in result.Messages)
            {
                ServerFrames.WriteMessage(writer, request.Group, message);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("more", result.More);
        });
    }

    private async Task<byte[]> MembersAsync(UserIdentity user, MembersRequest request)
    {
        var members = await grains.GetGrain<IGroupGrain>(request.Group).GetMembers(user.UserId);
        return ServerFrames.Ok(request.Id, writer =>
        {
            writer.WriteString("group", request.Group);
            ServerFrames.WriteMembers(writer, members);
        });
    }

    private async Task<byte[]> GroupsAsync(UserIdentity user, RequestId id)
    {
        var groups = await grains.GetGrain<IUserGrain>(user.UserId).GetGroups();
        return ServerFrames.Ok(id, writer =>
        {
            writer.WriteStartArray("groups");
            foreach (var group in groups)
            {
                writer.WriteStartObject();
                writer.WriteString("group", group.Group);
                writer.WriteNumber("lastSeq", group.LastSeq);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private async Task<byte[]> TypingAsync(UserIdentity user, TypingRequest request)
    {
        await grains.GetGrain<IGroupGrain>(request.Group).Typing(user.UserId);
        return ServerFrames.Ok(request.Id);
    }

    /// <summary>
    /// Waits (briefly) for the socket's feeds to be live, so events that follow the ok reach it. A feed
    /// still retrying does not hold up the reply: it catches the socket up from history once it is live.
    /// </summary>
    private static async Task WhenAttached(IEnumerable<Task> attachments)
    {
        try
        {
            await Task.WhenAll(attachments).WaitAsync(AttachWait);
        }
        catch (TimeoutException)
        {
        }
    }

    private IUserGrain UserGrain(string username) => grains.GetGrain<IUserGrain>(Names.NormalizeUsername(username));

    private static void WriteIdentity(Utf8JsonWriter writer, UserIdentity user)
    {
        writer.WriteString("userId", user.UserId);
        writer.WriteString("username", user.Username);
    }
}
