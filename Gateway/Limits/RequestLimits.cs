using OrleansChat.Errors;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Rules;

namespace OrleansChat.Gateway.Limits;

/// <summary>The limits a request must pass before it runs: the socket's request allowance and, for accounts, the client address's.</summary>
internal sealed class RequestLimits(AccountAttemptLimiter accountAttempts)
{
    /// <summary>The error that refuses the request, or null when it may run.</summary>
    public ChatException? Refusal(ChatConnection connection, ClientRequest request)
    {
        if (!connection.TryAcquireRequestPermit())
        {
            return ChatRules.TooManyRequests();
        }

        return request is RegisterRequest or LoginRequest && !accountAttempts.TryAcquire(connection.RemoteAddress)
            ? ChatRules.TooManyAccountAttempts()
            : null;
    }
}
