namespace OrleansChat.Groups;

/// <summary>A publish waiting for the conversation's next storage write; <paramref name="to"/> names a direct message's recipient.</summary>
internal sealed class PendingPublish(string userId, string username, string text, string? clientMsgId, string? to)
{
    private readonly TaskCompletionSource<PublishReceipt> _receipt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string UserId => userId;

    public string Username => username;

    public string Text => text;

    public string? ClientMsgId => clientMsgId;

    public string? To => to;

    public Task<PublishReceipt> Receipt => _receipt.Task;

    public void Stored(PublishReceipt receipt) => _receipt.TrySetResult(receipt);

    public void Failed(Exception error) => _receipt.TrySetException(error);
}
