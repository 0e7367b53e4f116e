using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansChat.Client;

/// <summary>
/// The OrleansChat protocol as typed calls and events. Requests throw a <see cref="ChatErrorException"/>
/// subclass for each error code. When the connection drops, the client reconnects with backoff,
/// re-authenticates with its token and reports the messages it missed (from history) before live ones,
/// so <see cref="Events"/> carries every seq of every group and direct conversation once, in order. It speaks
/// protocol revision 2, so direct messages are followed as groups are.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private const int CatchUpPage = 200;
    private const int ProtocolRevision = 2;

    private readonly Uri _server;
    private readonly ChatClientOptions _options;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConversationCursors _cursors = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _pump;
    private volatile ChatSocket _socket;
    private string? _token;
    private bool _directMessages;

    private ChatClient(Uri server, ChatClientOptions options, ChatSocket socket)
    {
        _server = server;
        _options = options;
        _socket = socket;
        _pump = PumpAsync();
    }

    /// <summary>Every event, in order; completes when the client is disposed (or the connection is lost for good).</summary>
    public ChannelReader<ChatEvent> Events => _events.Reader;

    public Account? User { get; private set; }

    public static async Task<ChatClient> ConnectAsync(Uri server, ChatClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ChatClientOptions();
        var socket = await ChatSocket.ConnectAsync(server, options.RequestTimeout, cancellationToken);
        return new ChatClient(server, options, socket);
    }

    public async Task<Account> RegisterAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "register", username, password }, cancellationToken);
        return new Account(Frames.Str(reply, "userId"), Frames.Str(reply, "username"));
    }

    public async Task<LoginResult> LoginAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "login", username, password, protocol = ProtocolRevision }, cancellationToken);
        var login = new LoginResult(Frames.Str(reply, "token"), Frames.Str(reply, "userId"), Frames.Str(reply, "username"), Frames.Time(reply, "expiresAt"));
        await StartSessionAsync(login.Token, new Account(login.UserId, login.Username), Frames.SpeaksRevision(reply, ProtocolRevision), cancellationToken);
        return login;
    }

    public async Task<Account> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "auth", token, protocol = ProtocolRevision }, cancellationToken);
        var account = new Account(Frames.Str(reply, "userId"), Frames.Str(reply, "username"));
        await StartSessionAsync(token, account, Frames.SpeaksRevision(reply, ProtocolRevision), cancellationToken);
        return account;
    }

    /// <summary>
    /// Ends this login's session on the server: its token stops working everywhere and the server closes this
    /// connection after the reply, so no reconnect follows.
    /// </summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        var token = _token;
        _token = null;
        try
        {
            await RequestAsync(new { type = "logout" }, cancellationToken);
        }
        catch
        {
            _token = token;
            throw;
        }
    }

    /// <summary>Sets a new password; every other session of the user ends, and this connection goes on with the returned token.</summary>
    public async Task<LoginResult> ChangePasswordAsync(string password, string newPassword, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "change_password", password, newPassword }, cancellationToken);
        var login = new LoginResult(Frames.Str(reply, "token"), Frames.Str(reply, "userId"), Frames.Str(reply, "username"), Frames.Time(reply, "expiresAt"));
        _token = login.Token;
        return login;
    }

    public async Task<JoinResult> JoinAsync(string group, CancellationToken cancellationToken = default)
    {
        return Joined(group, await RequestAsync(new { type = "join", group }, cancellationToken));
    }

    /// <summary>Creates a group (public unless <paramref name="isPrivate"/>) with this user as its owner.</summary>
    public async Task<JoinResult> CreateAsync(string group, bool isPrivate = false, CancellationToken cancellationToken = default) =>
        Joined(group, await RequestAsync(new { type = "create", group, visibility = isPrivate ? "private" : "public" }, cancellationToken));

    /// <summary>
    /// An owner's or admin's action on another user of a group: "invite", "kick", "ban", "unban", "promote", "demote"
    /// or "transfer" (make them the owner). Returns the user's registered name.
    /// </summary>
    public async Task<string> ModerateAsync(string action, string group, string user, CancellationToken cancellationToken = default) =>
        Frames.Str(await RequestAsync(new Dictionary<string, string> { ["type"] = action, ["group"] = group, ["user"] = user }, cancellationToken), "user");

    /// <summary>Deletes a group this user owns.</summary>
    public async Task DeleteGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        await RequestAsync(new { type = "delete_group", group }, cancellationToken);
        _cursors.Forget(group);
    }

    public async Task LeaveAsync(string group, CancellationToken cancellationToken = default)
    {
        await RequestAsync(new { type = "leave", group }, cancellationToken);
        _cursors.Forget(group);
    }

    /// <summary>Publishes a message, sent again while the server refuses it as overloaded (see <see cref="ChatClientOptions.RetryOverloadedFor"/>).</summary>
    public async Task<PublishResult> PublishAsync(string group, string text, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        var reply = await RetryingOverloadedAsync(new { type = "publish", group, text, clientMsgId }, cancellationToken);
        return new PublishResult(group, reply.GetProperty("seq").GetInt64(), Frames.Time(reply, "ts"));
    }

    /// <summary>Sends a direct message to another user, retried on overloaded as <see cref="PublishAsync"/> is.</summary>
    public async Task<DirectResult> DirectAsync(string to, string text, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        var reply = await RetryingOverloadedAsync(new { type = "direct", to, text, clientMsgId }, cancellationToken);
        var result = new DirectResult(Frames.Str(reply, "with"), reply.GetProperty("seq").GetInt64(), Frames.Time(reply, "ts"));
        _cursors.Follow(ConversationCursors.DirectKey(result.With), result.Seq - 1, rev: 0);
        return result;
    }

    public async Task<DirectHistoryPage> DirectHistoryAsync(string with, long? after = null, long? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "history", with, after, before, limit }, cancellationToken);
        var messages = reply.GetProperty("messages").EnumerateArray().Select(Frames.Direct).ToList();
        return new DirectHistoryPage(Frames.Str(reply, "with"), messages, reply.GetProperty("more").GetBoolean());
    }

    public async Task<IReadOnlyList<ConversationInfo>> ConversationsAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "conversations" }, cancellationToken);
        return reply.GetProperty("conversations").EnumerateArray()
            .Select(entry => new ConversationInfo(
                Frames.Str(entry, "with"), entry.GetProperty("lastSeq").GetInt64(), entry.GetProperty("blocked").GetBoolean(),
                Frames.OptionalLong(entry, "readSeq"), Frames.OptionalLong(entry, "unread"), Frames.Flag(entry, "request"), Frames.OptionalLong(entry, "rev")))
            .ToList();
    }

    /// <summary>Changes the text of one of this user's messages in a group.</summary>
    public Task EditAsync(string group, long seq, string text, CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "edit", group, seq, text }, cancellationToken);

    /// <summary>Deletes a message in a group (this user's own, or any as an owner or admin), leaving a tombstone.</summary>
    public Task DeleteAsync(string group, long seq, CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "delete", group, seq }, cancellationToken);

    /// <summary>Changes the text of one of this user's direct messages to <paramref name="with"/>.</summary>
    public Task EditDirectAsync(string with, long seq, string text, CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "edit", with, seq, text }, cancellationToken);

    public Task DeleteDirectAsync(string with, long seq, CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "delete", with, seq }, cancellationToken);

    /// <summary>Marks a group read up to a seq (a marker never moves back); returns the marker as it now is.</summary>
    public async Task<long> MarkReadAsync(string group, long seq, CancellationToken cancellationToken = default) =>
        (await RequestAsync(new { type = "read", group, seq }, cancellationToken)).GetProperty("seq").GetInt64();

    /// <summary>Marks the direct conversation with a user read up to a seq; returns the marker as it now is.</summary>
    public async Task<long> MarkDirectReadAsync(string with, long seq, CancellationToken cancellationToken = default) =>
        (await RequestAsync(new { type = "read", with, seq }, cancellationToken)).GetProperty("seq").GetInt64();

    /// <summary>Stops (or, with <paramref name="blocked"/> false, allows again) direct messages between this user and another; returns the other's registered name.</summary>
    public async Task<string> BlockAsync(string user, bool blocked = true, CancellationToken cancellationToken = default) =>
        Frames.Str(await RequestAsync(new { type = blocked ? "block" : "unblock", user }, cancellationToken), "user");

    /// <summary>
    /// Takes the direct conversation with a user off this user's list (its history stays; their next message lists
    /// it again, as a request); returns the other's registered name.
    /// </summary>
    public async Task<string> ForgetAsync(string user, CancellationToken cancellationToken = default)
    {
        var other = Frames.Str(await RequestAsync(new { type = "forget", user }, cancellationToken), "user");
        _cursors.Forget(ConversationCursors.DirectKey(other));
        return other;
    }

    /// <summary>
    /// Sends a publish or direct message. A refusal as overloaded stored nothing, so it is sent again after the
    /// server's hint until <see cref="ChatClientOptions.RetryOverloadedFor"/> has passed; then the
    /// <see cref="ChatOverloadedException"/> is thrown.
    /// </summary>
    private async Task<JsonElement> RetryingOverloadedAsync(object request, CancellationToken cancellationToken)
    {
        var retrying = Stopwatch.StartNew();
        for (var refusals = 0; ; refusals++)
        {
            try
            {
                return await RequestAsync(request, cancellationToken);
            }
            catch (ChatOverloadedException overloaded) when (OverloadRetryWait(overloaded, refusals) is var wait && retrying.Elapsed + wait < _options.RetryOverloadedFor)
            {
                _options.OnOverloaded?.Invoke(wait);
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    public async Task<HistoryPage> HistoryAsync(string group, long? after = null, long? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "history", group, after, before, limit }, cancellationToken);
        var messages = reply.GetProperty("messages").EnumerateArray().Select(Frames.Message).ToList();
        return new HistoryPage(group, messages, reply.GetProperty("more").GetBoolean());
    }

    public async Task<IReadOnlyList<Member>> MembersAsync(string group, CancellationToken cancellationToken = default) =>
        Frames.Members(await RequestAsync(new { type = "members", group }, cancellationToken));

    public async Task<IReadOnlyList<GroupInfo>> GroupsAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "groups" }, cancellationToken);
        return reply.GetProperty("groups").EnumerateArray()
            .Select(group => new GroupInfo(
                Frames.Str(group, "group"), group.GetProperty("lastSeq").GetInt64(), Frames.OptionalLong(group, "readSeq"), Frames.OptionalLong(group, "unread"), Frames.OptionalLong(group, "rev")))
            .ToList();
    }

    public Task TypingAsync(string group, CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "typing", group }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        RequestAsync(new { type = "ping" }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync();
        await _socket.DisposeAsync();
        await _pump;
    }

    /// <summary>
    /// The server's hint, doubled for each refusal in a row up to the reconnect cap, and stretched by up to
    /// half at random so that the clients refused together do not all come back at once.
    /// </summary>
    private TimeSpan OverloadRetryWait(ChatOverloadedException overloaded, int refusals)
    {
        var grown = overloaded.RetryAfter * Math.Pow(2, Math.Min(refusals, 10));
        var capped = TimeSpan.FromTicks(Math.Max(overloaded.RetryAfter.Ticks, Math.Min(grown.Ticks, _options.MaxReconnectDelay.Ticks)));
        return capped * (1 + (Random.Shared.NextDouble() / 2));
    }

    private async Task<JsonElement> RequestAsync(object request, CancellationToken cancellationToken) =>
        Frames.EnsureOk(await _socket.RequestAsync(request, cancellationToken));

    /// <remarks>A server that does not confirm the revision with direct messages has none to follow.</remarks>
    private async Task StartSessionAsync(string token, Account account, bool directMessages, CancellationToken cancellationToken)
    {
        _token = token;
        User = account;
        _directMessages = directMessages;
        foreach (var group in await GroupsAsync(cancellationToken))
        {
            _cursors.Follow(group.Group, group.LastSeq, group.Rev);
        }

        foreach (var conversation in directMessages ? await ConversationsAsync(cancellationToken) : [])
        {
            _cursors.Follow(ConversationCursors.DirectKey(conversation.With), conversation.LastSeq, conversation.Rev);
        }
    }

    /// <summary>The one reader of the socket's frames: turns them into events, and reconnects when they end.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                await foreach (var frame in _socket.Frames.ReadAllAsync())
                {
                    if (Frames.Event(frame) is { } chatEvent)
                    {
                        await ReportAsync(chatEvent);
                    }
                }

                if (_disposing.IsCancellationRequested || !_options.Reconnect || _token is null)
                {
                    return;
                }

                _events.Writer.TryWrite(new ConnectionLost($"closed with {_socket.Closed.Result?.ToString() ?? "no status"}"));
                var missed = await ReconnectAsync();
                _events.Writer.TryWrite(new Reconnected(missed));
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
        catch (ChatErrorException ex)
        {
            // For example the token expired: there is no way back in without the user.
            _events.Writer.TryWrite(new ConnectionLost($"could not resume the session: {ex.Message}"));
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The group an event ends this user's membership of: a deletion, or a kick or ban of this user.</summary>
    private string? GroupLeftBy(ChatEvent chatEvent) => chatEvent switch
    {
        GroupDeleted deleted => deleted.Group,
        MemberChanged { Action: "kicked" or "banned" } change when change.User == User?.Username => change.Group,
        _ => null,
    };

    private JoinResult Joined(string group, JsonElement reply)
    {
        var lastSeq = reply.GetProperty("lastSeq").GetInt64();
        _cursors.Follow(group, lastSeq, Frames.OptionalLong(reply, "rev"));
        return new JoinResult(group, lastSeq, Frames.Members(reply), Frames.OptionalStr(reply, "role") ?? "member", Frames.OptionalStr(reply, "visibility") ?? "public");
    }

    private async Task ReportAsync(ChatEvent chatEvent)
    {
        // A group this user is no longer in has nothing more to catch up after a reconnect.
        if (GroupLeftBy(chatEvent) is { } left)
        {
            _cursors.Forget(left);
        }

        if (chatEvent is MessageChanged { Rev: > 0 } change)
        {
            await ReportChangeAsync(change);
            return;
        }

        var (key, seq) = chatEvent switch
        {
            MessageReceived message => (message.Group, message.Seq),
            DirectReceived direct => (ConversationCursors.DirectKey(direct.With), direct.Seq),
            _ => (null, 0),
        };
        if (key is null)
        {
            _events.Writer.TryWrite(chatEvent);
            return;
        }

        // A gap means the server's live delivery missed something: fill it from history first. If that
        // fails the message is held back too; the next message or the reconnect's catch-up brings both.
        if (seq > _cursors.ReportedThrough(key) + 1)
        {
            try
            {
                await CatchUpAsync(key, seq - 1);
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or TimeoutException or ChatUnavailableException)
            {
                return;
            }
        }

        if (_cursors.TryAdvance(key, seq))
        {
            _events.Writer.TryWrite(chatEvent);
        }
    }

    /// <summary>
    /// Reports a live change unless a catch-up reported it already; a change that skips revs (the server's live
    /// delivery missed one) is caught up with the changes before it.
    /// </summary>
    private async Task ReportChangeAsync(MessageChanged change)
    {
        var key = change.Group ?? ConversationCursors.DirectKey(change.With!);
        if (!_cursors.Follows(key))
        {
            // A change in a conversation this client does not follow (just left, say): nothing to keep count of.
            _events.Writer.TryWrite(change);
            return;
        }

        if (change.Rev > _cursors.RevOf(key) + 1)
        {
            try
            {
                await CatchUpChangesAsync(key);
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or TimeoutException or ChatUnavailableException)
            {
                // The reconnect's catch-up brings it.
                return;
            }
            catch (ChatErrorException)
            {
                // No longer allowed to read the conversation (removed from it meanwhile): the change is reported as it came.
            }
        }

        if (_cursors.TryAdvanceRev(key, change.Rev))
        {
            _events.Writer.TryWrite(change);
        }
    }

    /// <summary>
    /// Reports the messages of a conversation changed after the last change reported, each once as it is now; or,
    /// when the server no longer remembers that far back, <see cref="ChangesMissed"/>.
    /// </summary>
    private async Task CatchUpChangesAsync(string key)
    {
        var with = ConversationCursors.DirectWith(key);
        var group = with is null ? key : null;
        while (true)
        {
            var after = _cursors.RevOf(key);
            var reply = await RequestAsync(with is null ? new { type = "changes", group, after } : new { type = "changes", with, after }, _disposing.Token);
            var rev = reply.GetProperty("rev").GetInt64();
            if (!reply.GetProperty("complete").GetBoolean())
            {
                _events.Writer.TryWrite(new ChangesMissed(group, with));
            }

            foreach (var message in reply.GetProperty("messages").EnumerateArray())
            {
                _events.Writer.TryWrite(Frames.Change(message, group, with, rev));
            }

            if (!_cursors.TryAdvanceRev(key, rev) || !reply.GetProperty("more").GetBoolean())
            {
                return;
            }
        }
    }

    /// <summary>Connects again with backoff, re-authenticates, and reports what was missed meanwhile.</summary>
    private async Task<int> ReconnectAsync()
    {
        var delay = _options.FirstReconnectDelay;
        while (true)
        {
            await Task.Delay(delay, _disposing.Token);
            try
            {
                var socket = await ChatSocket.ConnectAsync(_server, _options.RequestTimeout, _disposing.Token);
                Frames.EnsureOk(await socket.RequestAsync(new { type = "auth", token = _token, protocol = ProtocolRevision }, _disposing.Token));
                _socket = socket;

                // Each conversation's change counter now; a server without them gives none, and no changes are asked.
                var revs = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var group in await GroupsAsync(_disposing.Token))
                {
                    revs[group.Group] = group.Rev;
                }

                foreach (var conversation in _directMessages ? await ConversationsAsync(_disposing.Token) : [])
                {
                    // One another user started while this client was away is caught up from its start, as it is now.
                    var key = ConversationCursors.DirectKey(conversation.With);
                    _cursors.Follow(key, baseline: 0, conversation.Rev);
                    revs[key] = conversation.Rev;
                }

                var missed = 0;
                foreach (var key in _cursors.Keys)
                {
                    missed += await CatchUpAsync(key, through: null);
                    if (revs.GetValueOrDefault(key) > _cursors.RevOf(key))
                    {
                        await CatchUpChangesAsync(key);
                    }
                }

                return missed;
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or System.Net.WebSockets.WebSocketException or TimeoutException or ChatUnavailableException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Reports a conversation's messages after the last one reported, up to <paramref name="through"/> (or all);
    /// <paramref name="key"/> is a group's name or a <see cref="ConversationCursors.DirectKey"/>.
    /// </summary>
    private async Task<int> CatchUpAsync(string key, long? through)
    {
        var reported = 0;
        while (true)
        {
            var after = _cursors.ReportedThrough(key);
            var before = through + 1;
            if (after >= before - 1)
            {
                return reported;
            }

            var (messages, more) = await HistoryPageAsync(key, after, before);
            foreach (var (message, _) in messages.Where(entry => _cursors.TryAdvance(key, entry.Seq)))
            {
                _events.Writer.TryWrite(message);
                reported++;
            }

            if (!more || messages.Count == 0)
            {
                return reported;
            }
        }
    }

    private async Task<(IReadOnlyList<(ChatEvent Message, long Seq)> Messages, bool More)> HistoryPageAsync(string key, long after, long? before)
    {
        if (ConversationCursors.DirectWith(key) is { } with)
        {
            var direct = await DirectHistoryAsync(with, after, before, CatchUpPage, _disposing.Token);
            return ([.. direct.Messages.Select(message => ((ChatEvent)message, message.Seq))], direct.More);
        }

        var page = await HistoryAsync(key, after, before, CatchUpPage, _disposing.Token);
        return ([.. page.Messages.Select(message => ((ChatEvent)message, message.Seq))], page.More);
    }
}
