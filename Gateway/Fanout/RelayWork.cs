using OrleansChat.Groups;

namespace OrleansChat.Gateway.Fanout;

/// <summary>What a <see cref="GroupRelay"/>'s loop does, one item at a time.</summary>
internal abstract record RelayWork
{
    public sealed record Event(GroupEvent GroupEvent) : RelayWork;

    public sealed record Admit(Receiver Receiver, TaskCompletionSource Admitted) : RelayWork;

    public sealed record CheckTail : RelayWork;

    public sealed record Subscribe : RelayWork;

    public sealed record Unsubscribe : RelayWork;
}
