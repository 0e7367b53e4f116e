using OrleansChat.History;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// The clientMsgIds among a group's newest messages, so a client's retry of a publish is stored once.
/// A pending entry answers a retry that arrives while the first attempt is still being written.
/// </summary>
internal sealed class RecentClientMessageIds
{
    private readonly Dictionary<(string UserId, string ClientMsgId), Task<PublishReceipt>> _receipts = [];
    private readonly Queue<(long Seq, (string, string) Key)> _bySeq = new();

    public bool TryGet(string userId, string clientMsgId, out Task<PublishReceipt> receipt) =>
        _receipts.TryGetValue((userId, clientMsgId), out receipt!);

    public void AddPending(string userId, string clientMsgId, Task<PublishReceipt> receipt) =>
        _receipts[(userId, clientMsgId)] = receipt;

    public void RemovePending(string userId, string clientMsgId) => _receipts.Remove((userId, clientMsgId));

    /// <summary>Records a stored message and forgets those that fell out of the window.</summary>
    public void Stored(ChatMessage message, long lastSeq)
    {
        if (message.ClientMsgId is { } clientMsgId)
        {
            var key = (message.FromUserId, clientMsgId);
            _receipts[key] = Task.FromResult(new PublishReceipt(message.Seq, message.Ts));
            _bySeq.Enqueue((message.Seq, key));
        }

        while (_bySeq.TryPeek(out var oldest) && oldest.Seq <= lastSeq - ChatLimits.IdempotencyWindow)
        {
            _bySeq.Dequeue();
            // The same id may have been used again since; only forget the entry this seq put there.
            if (_receipts.TryGetValue(oldest.Key, out var receipt) && receipt.IsCompletedSuccessfully && receipt.Result.Seq == oldest.Seq)
            {
                _receipts.Remove(oldest.Key);
            }
        }
    }
}
