using System.Net;
using System.Net.WebSockets;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Sockets;

/// <summary>One client's WebSocket: who it is, which groups it follows and where its frames go.</summary>
internal sealed class ChatConnection : IDisposable
{
    private static long s_nextId;

    private readonly RequestAllowance _requestAllowance;
    private readonly Lock _stateLock = new();
    private Timer? _authenticationDeadline;
    private volatile string[] _groups = [];
    private bool _handlingRequest;
    private bool _shutdownRequested;

    public ChatConnection(WebSocket socket, IPAddress? remoteAddress, GatewayOptions options)
    {
        Socket = socket;
        RemoteAddress = remoteAddress;
        Outbound = new OutboundQueue(socket, options.MaxOutboundBytes, options.CloseTimeout);
        _requestAllowance = new RequestAllowance(options.RequestsPerSecond, options.RequestBurst);
    }

    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public WebSocket Socket { get; }

    public IPAddress? RemoteAddress { get; }

    public OutboundQueue Outbound { get; }

    public UserIdentity? User { get; private set; }

    /// <summary>The groups whose feeds this socket is attached to; changed only by <see cref="Fanout.GroupFeeds"/>, under its lock.</summary>
    /// <remarks>
    /// A copy-on-write array, so feeds read it without a lock and a caller may enumerate it while it
    /// changes; a socket follows a handful of groups, for which a concurrent dictionary would outweigh
    /// the rest of an idle socket.
    /// </remarks>
    public IReadOnlyList<string> Groups => _groups;

    /// <summary>Set once the socket has closed, under the feeds' lock, so no late callback attaches it again.</summary>
    public bool IsReleased { get; set; }

    public bool Follows(string group) => Array.IndexOf(_groups, group) >= 0;

    public bool TryFollow(string group)
    {
        if (Follows(group))
        {
            return false;
        }

        _groups = [.. _groups, group];
        return true;
    }

    public bool TryUnfollow(string group)
    {
        if (!Follows(group))
        {
            return false;
        }

        _groups = [.. _groups.Where(followed => followed != group)];
        return true;
    }

    public bool Send(byte[] frame, bool writeHere = true) => Outbound.Send(frame, writeHere);

    public bool TryAcquireRequestPermit() => _requestAllowance.TryTake();

    /// <summary>Closes the socket with 1008 unless it authenticates within <paramref name="timeout"/>.</summary>
    public void CloseUnlessAuthenticatedWithin(TimeSpan timeout) =>
        _authenticationDeadline = new Timer(
            static state => ((ChatConnection)state!).CloseIfAnonymous(), this, timeout, Timeout.InfiniteTimeSpan);

    /// <remarks>The deadline's timer goes at once rather than with the socket: idle sockets are many.</remarks>
    public void SetUser(UserIdentity user)
    {
        User = user;
        Interlocked.Exchange(ref _authenticationDeadline, null)?.Dispose();
    }

    /// <summary>Marks a request as in flight; false when the gateway is shutting down and takes no more.</summary>
    public bool BeginRequest()
    {
        lock (_stateLock)
        {
            _handlingRequest = !_shutdownRequested;
            return _handlingRequest;
        }
    }

    public void EndRequest()
    {
        lock (_stateLock)
        {
            _handlingRequest = false;
            if (_shutdownRequested)
            {
                CloseForShutdown();
            }
        }
    }

    /// <summary>Closes with 1001 now, or right after the request in flight has been answered.</summary>
    public void Shutdown()
    {
        lock (_stateLock)
        {
            _shutdownRequested = true;
            if (!_handlingRequest)
            {
                CloseForShutdown();
            }
        }
    }

    public void Dispose() => _authenticationDeadline?.Dispose();

    private void CloseIfAnonymous()
    {
        if (User is null)
        {
            Outbound.Close(WebSocketCloseStatus.PolicyViolation, "not authenticated in time");
        }
    }

    private void CloseForShutdown() => Outbound.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
}
