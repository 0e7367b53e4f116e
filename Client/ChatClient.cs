using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansChat.Client;

/// <summary>
/// The OrleansChat protocol as typed calls and events. Requests throw a <see cref="ChatErrorException"/>
/// subclass for each error code. When the connection drops, the client reconnects with backoff,
/// re-authenticates with its token and reports the messages it missed (from history) before live ones,
/// so <see cref="Events"/> carries every seq of every group once, in order.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private const int CatchUpPage = 200;

    private readonly Uri _server;
    private readonly ChatClientOptions _options;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly GroupCursors _cursors = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _pump;
    private volatile ChatSocket _socket;
    private string? _token;

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
        var reply = await RequestAsync(new { type = "login", username, password }, cancellationToken);
        var login = new LoginResult(Frames.Str(reply, "token"), Frames.Str(reply, "userId"), Frames.Str(reply, "username"), Frames.Time(reply, "expiresAt"));
        await StartSessionAsync(login.Token, new Account(login.UserId, login.Username), cancellationToken);
        return login;
    }

    public async Task<Account> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new { type = "auth", token }, cancellationToken);
        var account = new Account(Frames.Str(reply, "userId"), Frames.Str(reply, "username"));
        await StartSessionAsync(token, account, cancellationToken);
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
        var reply = await RequestAsync(new { type = "join", group }, cancellationToken);
        var lastSeq = reply.GetProperty("lastSeq").GetInt64();
        _cursors.Follow(group, lastSeq);
        return new JoinResult(group, lastSeq, Frames.Members(reply));
    }

    public async Task LeaveAsync(string group, CancellationToken cancellationToken = default)
    {
        await RequestAsync(new { type = "leave", group }, cancellationToken);
        _cursors.Forget(group);
    }

    /// <summary>
    /// Publishes a message. A refusal as overloaded stored nothing, so it is sent again after the server's
    /// hint until <see cref="ChatClientOptions.RetryOverloadedFor"/> has passed; then the
    /// <see cref="ChatOverloadedException"/> is thrown.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string group, string text, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        var retrying = Stopwatch.StartNew();
        for (var refusals = 0; ; refusals++)
        {
            try
            {
                var reply = await RequestAsync(new { type = "publish", group, text, clientMsgId }, cancellationToken);
                return new PublishResult(group, reply.GetProperty("seq").GetInt64(), Frames.Time(reply, "ts"));
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
            .Select(group => new GroupInfo(Frames.Str(group, "group"), group.GetProperty("lastSeq").GetInt64()))
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

    private async Task StartSessionAsync(string token, Account account, CancellationToken cancellationToken)
    {
        _token = token;
        User = account;
        foreach (var group in await GroupsAsync(cancellationToken))
        {
            _cursors.Follow(group.Group, group.LastSeq);
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

    private async Task ReportAsync(ChatEvent chatEvent)
    {
        if (chatEvent is not MessageReceived message)
        {
            _events.Writer.TryWrite(chatEvent);
            return;
        }

        // A gap means the server's live delivery missed something: fill it from history first. If that
        // fails the message is held back too; the next message or the reconnect's catch-up brings both.
        if (message.Seq > _cursors.ReportedThrough(message.Group) + 1)
        {
            try
            {
                await CatchUpAsync(message.Group, message.Seq - 1);
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or TimeoutException or ChatUnavailableException)
            {
                return;
            }
        }

        if (_cursors.TryAdvance(message.Group, message.Seq))
        {
            _events.Writer.TryWrite(message);
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
                Frames.EnsureOk(await socket.RequestAsync(new { type = "auth", token = _token }, _disposing.Token));
                _socket = socket;
                var missed = 0;
                foreach (var group in _cursors.Groups)
                {
                    missed += await CatchUpAsync(group, through: null);
                }

                return missed;
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or System.Net.WebSockets.WebSocketException or TimeoutException or ChatUnavailableException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>Reports the group's messages after the last one reported, up to <paramref name="through"/> (or all).</summary>
    private async Task<int> CatchUpAsync(string group, long? through)
    {
        var reported = 0;
        while (true)
        {
            var after = _cursors.ReportedThrough(group);
            var before = through + 1;
            if (after >= before - 1)
            {
                return reported;
            }

            var page = await HistoryAsync(group, after: after, before: before, limit: CatchUpPage, _disposing.Token);
            foreach (var message in page.Messages.Where(message => _cursors.TryAdvance(group, message.Seq)))
            {
                _events.Writer.TryWrite(message);
                reported++;
            }

            if (!page.More || page.Messages.Count == 0)
            {
                return reported;
            }
        }
    }
}
