using System.Net;
using System.Net.WebSockets;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Limits;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Sockets;

/// <summary>One client's WebSocket: who it is, where its frames go and whether it may make another request.</summary>
internal sealed class ChatConnection : IDisposable
{
    private const int HandlingRequest = 1;
    private const int ShutdownRequested = 2;

    private static long s_nextId;

    private Timer? _authenticationDeadline;
    private (WebSocketCloseStatus Status, string Reason)? _closeAfterReply;

    /// <summary>
    /// <see cref="HandlingRequest"/> and <see cref="ShutdownRequested"/>, changed atomically rather than under a lock:
    /// a lock object per socket is memory that idle sockets would hold.
    /// </summary>
    private int _requestState;

    public ChatConnection(WebSocket socket, IPAddress? remoteAddress, GatewayOptions options, LimitsOptions limits, OutboundBudget budget, TimeProvider clock)
    {
        Socket = socket;
        RemoteAddress = remoteAddress;
        Outbound = new OutboundQueue(socket, options.MaxOutboundBytes, options.CloseTimeout, budget);
        Allowance = new SocketAllowance(limits, clock);
    }

    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public WebSocket Socket { get; }

    public IPAddress? RemoteAddress { get; }

    public OutboundQueue Outbound { get; }

    public SocketAllowance Allowance { get; }

    public UserIdentity? User { get; private set; }

    /// <summary>The protocol revision the socket asked for at its first login or auth (<see cref="ProtocolRevisions"/>).</summary>
    public int Protocol { get; set; } = ProtocolRevisions.First;

    public bool SpeaksRevision2 => Protocol >= ProtocolRevisions.Two;

    /// <summary>The session (<see cref="SessionToken.SessionIdOf"/>) of the token the socket last logged in or authenticated with; 0 for none.</summary>
    public long SessionId { get; set; }

    public bool Send(byte[] frame, bool writeHere = true) => Outbound.Send(frame, writeHere);

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

    /// <summary>Closes the socket with this status once the reply to the request in flight has been queued.</summary>
    public void CloseAfterReply(WebSocketCloseStatus status, string reason) => _closeAfterReply = (status, reason);

    /// <summary>Marks a request as in flight; false when the gateway is shutting down and takes no more.</summary>
    public bool BeginRequest()
    {
        if ((Interlocked.Or(ref _requestState, HandlingRequest) & ShutdownRequested) == 0)
        {
            return true;
        }

        // Shutdown saw no request in flight and has closed the socket already.
        Interlocked.And(ref _requestState, ~HandlingRequest);
        return false;
    }

    public void EndRequest()
    {
        if (_closeAfterReply is var (status, reason))
        {
            Outbound.Close(status, reason);
        }

        if ((Interlocked.And(ref _requestState, ~HandlingRequest) & ShutdownRequested) != 0)
        {
            CloseForShutdown();
        }
    }

    /// <summary>Closes with 1001 now, or right after the request in flight has been answered.</summary>
    public void Shutdown()
    {
        if ((Interlocked.Or(ref _requestState, ShutdownRequested) & HandlingRequest) == 0)
        {
            CloseForShutdown();
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
