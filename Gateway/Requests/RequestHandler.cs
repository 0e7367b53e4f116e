using System.Net.WebSockets;
using OrleansChat.Conversations;
using OrleansChat.Errors;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Overload;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Requests;

/// <summary>
/// Turns each valid request into its grain calls and returns the ok reply; a failure is thrown, for the
/// socket session to answer with an error.
/// </summary>
internal sealed class RequestHandler(
    IGrainFactory grains,
    SocketSignIn signIn,
    FollowTable follows,
    OverloadGuard overload,
    DirectMessageRequests directMessages)
{
    public Task<byte[]> HandleAsync(ChatConnection connection, ClientRequest request) => request switch
    {
        PingRequest => Task.FromResult(ServerFrames.Pong(request.Id)),
        RegisterRequest register => RegisterAsync(register),
        LoginRequest login => LoginAsync(connection, login),
        AuthRequest auth => AuthenticateAsync(connection, auth),
        _ when connection.User is null => throw new ChatException(ChatErrorCode.Unauthorized, "log in or authenticate first"),
        LogoutRequest logout => LogoutAsync(connection, connection.User, logout),
        ChangePasswordRequest change => ChangePasswordAsync(connection, connection.User, change),
        JoinRequest join => JoinAsync(connection, connection.User, join),
        LeaveRequest leave => LeaveAsync(connection, connection.User, leave),
        PublishRequest publish => PublishAsync(connection.User, publish),
        HistoryRequest history => HistoryAsync(connection.User, history),
        MembersRequest members => MembersAsync(connection.User, members),
        GroupsRequest => GroupsAsync(connection.User, request.Id),
        TypingRequest typing => TypingAsync(connection.User, typing),
        DirectRequest direct => directMessages.SendAsync(connection, connection.User, direct),
        DirectHistoryRequest history => directMessages.HistoryAsync(connection.User, history),
        ConversationsRequest => directMessages.ConversationsAsync(connection.User, request.Id),
        BlockRequest block => directMessages.BlockAsync(connection.User, block),
        ForgetRequest forget => directMessages.ForgetAsync(connection, connection.User, forget),
        ReadRequest read => MarkReadAsync(connection.User, read),
        ChangesRequest { Group: { } group } changes => GroupChangesAsync(connection.User, group, changes),
        ChangesRequest changes => directMessages.ChangesAsync(connection.User, changes),
        EditRequest edit => ChangeAsync(connection.User, request.Id, edit.Group, edit.With, (log, userId) => log.Edit(userId, edit.Seq, edit.Text)),
        DeleteRequest delete => ChangeAsync(connection.User, request.Id, delete.Group, delete.With, (log, userId) => log.Delete(userId, delete.Seq)),
        CreateRequest create => CreateAsync(connection, connection.User, create),
        ModerateRequest moderate => ModerateAsync(connection.User, moderate),
        DeleteGroupRequest delete => DeleteGroupAsync(connection.User, delete),
        _ => throw new ChatException(ChatErrorCode.BadRequest, "unknown request"),
    };

    private async Task<byte[]> RegisterAsync(RegisterRequest request)
    {
        var user = await UserGrain(request.Username).Register(request.Username, request.Password);
        return Replies.Registered(request.Id, user);
    }

    private async Task<byte[]> LoginAsync(ChatConnection connection, LoginRequest request)
    {
        signIn.EnsureRoomFor(connection, Names.NormalizeUsername(request.Username));
        var ticket = await UserGrain(request.Username).Login(request.Password);
        await SignInAsync(connection, ticket.User, ticket.Token, request.Protocol);
        return Replies.LoggedIn(request.Id, ticket, connection.Protocol);
    }

    private async Task<byte[]> AuthenticateAsync(ChatConnection connection, AuthRequest request)
    {
        if (!SessionToken.TryParse(request.Token, out var userId, out _))
        {
            throw ChatRules.InvalidToken();
        }

        var user = await grains.GetGrain<IUserGrain>(userId).Authenticate(request.Token);
        await SignInAsync(connection, user, request.Token, request.Protocol);
        return Replies.Authenticated(request.Id, user, connection.Protocol);
    }

    /// <summary>
    /// Binds the socket to the user and makes it follow each of the user's groups (and, for a socket that asked
    /// for them, direct conversations) from its current seq: the socket gets every message stored from here on.
    /// Repeating it for the same user follows anything a failed first attempt missed; the socket keeps the
    /// protocol revision of its first sign-in.
    /// </summary>
    private async Task SignInAsync(ChatConnection connection, UserIdentity user, string token, int protocol)
    {
        if (connection.User is null)
        {
            connection.Protocol = protocol;
        }

        await signIn.BindAsync(connection, user);
        connection.SessionId = SessionToken.SessionIdOf(token) ?? 0;
        var groups = await grains.GetGrain<IUserGrain>(user.UserId).GetGroups();
        var followed = groups.Select(group => follows.Follow(connection, group.Group, group.LastSeq)).ToList();
        if (connection.SpeaksRevision2)
        {
            followed.AddRange(await directMessages.FollowConversationsAsync(connection, user));
        }

        await LiveFollows.WhenLive(followed);
    }

    /// <summary>
    /// Ends the socket's session: its token stops working, the user grain has every socket of that session
    /// closed, and this one closes with 1000 right after the ok (it stops counting as the session's first, so
    /// the notice cannot close it before its ok is out).
    /// </summary>
    private async Task<byte[]> LogoutAsync(ChatConnection connection, UserIdentity user, LogoutRequest request)
    {
        var session = connection.SessionId;
        connection.SessionId = 0;
        await grains.GetGrain<IUserGrain>(user.UserId).EndSession(session);
        connection.CloseAfterReply(WebSocketCloseStatus.NormalClosure, "logged out");
        return Replies.Done(request.Id);
    }

    /// <summary>
    /// Sets a new password; every other session ends (their sockets are closed) and this socket goes on under
    /// the new one, whose token the reply carries.
    /// </summary>
    private async Task<byte[]> ChangePasswordAsync(ChatConnection connection, UserIdentity user, ChangePasswordRequest request)
    {
        var session = connection.SessionId;
        connection.SessionId = 0;
        try
        {
            var ticket = await grains.GetGrain<IUserGrain>(user.UserId).ChangePassword(request.Password, request.NewPassword);
            connection.SessionId = SessionToken.SessionIdOf(ticket.Token) ?? 0;
            return Replies.LoggedIn(request.Id, ticket);
        }
        catch
        {
            connection.SessionId = session;
            throw;
        }
    }

    private async Task<byte[]> JoinAsync(ChatConnection connection, UserIdentity user, JoinRequest request)
    {
        var outcome = await grains.GetGrain<IUserGrain>(user.UserId).JoinGroup(request.Group);
        await LiveFollows.WhenLive([follows.Follow(connection, request.Group, outcome.LastSeq)]);
        return Replies.Joined(request.Id, request.Group, outcome);
    }

    private async Task<byte[]> CreateAsync(ChatConnection connection, UserIdentity user, CreateRequest request)
    {
        var outcome = await grains.GetGrain<IUserGrain>(user.UserId).CreateGroup(request.Group, request.Visibility);
        await LiveFollows.WhenLive([follows.Follow(connection, request.Group, outcome.LastSeq)]);
        return Replies.Joined(request.Id, request.Group, outcome);
    }

    private async Task<byte[]> ModerateAsync(UserIdentity user, ModerateRequest request)
    {
        var target = await grains.GetGrain<IGroupGrain>(request.Group).Moderate(user.UserId, Names.NormalizeUsername(request.User), request.Action);
        return Replies.Moderated(request.Id, request.Group, target);
    }

    private async Task<byte[]> DeleteGroupAsync(UserIdentity user, DeleteGroupRequest request)
    {
        await grains.GetGrain<IGroupGrain>(request.Group).DeleteGroup(user.UserId);
        return Replies.Left(request.Id, request.Group);
    }

    private async Task<byte[]> LeaveAsync(ChatConnection connection, UserIdentity user, LeaveRequest request)
    {
        await grains.GetGrain<IUserGrain>(user.UserId).LeaveGroup(request.Group);
        follows.Unfollow(connection, request.Group);
        return Replies.Left(request.Id, request.Group);
    }

    private async Task<byte[]> PublishAsync(UserIdentity user, PublishRequest request)
    {
        var deliveryLag = overload.EnsureRoomToPublish(request.Group);
        var receipt = await grains.GetGrain<IGroupGrain>(request.Group).Publish(user.UserId, request.Text, request.ClientMsgId);

        // Until the message comes back off the stream, its wait counts as the group's delivery lag.
        deliveryLag?.Acknowledged(receipt.Seq, DateTime.UtcNow);
        return Replies.Published(request.Id, request.Group, receipt);
    }

    private async Task<byte[]> HistoryAsync(UserIdentity user, HistoryRequest request)
    {
        var result = await grains.GetGrain<IHistoryReaderGrain>(request.Group).Read(user.UserId, request.Query);
        return Replies.History(request.Id, request.Group, result);
    }

    private async Task<byte[]> GroupChangesAsync(UserIdentity user, string group, ChangesRequest request)
    {
        var result = await grains.GetGrain<IHistoryReaderGrain>(group).ReadChanges(user.UserId, request.After, request.Limit);
        return Replies.Changes(request.Id, group, null, result, (entry, message) => ServerFrames.WriteMessageFields(entry, group, message));
    }

    private async Task<byte[]> MembersAsync(UserIdentity user, MembersRequest request)
    {
        var members = await grains.GetGrain<IGroupGrain>(request.Group).GetMembers(user.UserId);
        return Replies.Members(request.Id, request.Group, members);
    }

    private async Task<byte[]> GroupsAsync(UserIdentity user, RequestId id) =>
        Replies.Groups(id, await grains.GetGrain<IUserGrain>(user.UserId).GetGroups());

    /// <summary>An edit or deletion of a stored message, by the conversation's own grain (which checks who may).</summary>
    private async Task<byte[]> ChangeAsync(UserIdentity user, RequestId id, string? group, string? with, Func<IMessageLogGrain, string, Task<ChatMessage>> change)
    {
        var conversation = group is not null ? ConversationKey.ForGroup(group) : DirectMessageRequests.With(user, with!);
        var message = await change(conversation.Log(grains), user.UserId);
        return Replies.Changed(id, group, group is null ? MessageFrames.OtherUserOf(message, user.UserId) : null, message.Seq);
    }

    private async Task<byte[]> MarkReadAsync(UserIdentity user, ReadRequest request)
    {
        var conversation = request.Group is { } group ? ConversationKey.ForGroup(group) : DirectMessageRequests.With(user, request.With!);
        var marker = await grains.GetGrain<IUserGrain>(user.UserId).MarkRead(conversation.ToGrainKey(), request.Seq);
        return Replies.ReadMarked(request.Id, marker);
    }

    private async Task<byte[]> TypingAsync(UserIdentity user, TypingRequest request)
    {
        await grains.GetGrain<IGroupGrain>(request.Group).Typing(user.UserId);
        return Replies.Done(request.Id);
    }

    private IUserGrain UserGrain(string username) => grains.GetGrain<IUserGrain>(Names.NormalizeUsername(username));
}
