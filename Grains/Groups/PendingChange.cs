using OrleansChat.History;

namespace OrleansChat.Groups;

/// <summary>
/// An edit or deletion of one stored message, waiting for its turn in the conversation's writes.
/// <see cref="Apply"/> checks the message as it is then, and throws to refuse.
/// </summary>
internal sealed class PendingChange(string userId, long seq, Func<ChatMessage, ChatMessage> apply)
{
    private readonly TaskCompletionSource<ChatMessage> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string UserId => userId;

    public long Seq => seq;

    public Task<ChatMessage> Result => _result.Task;

    public ChatMessage Apply(ChatMessage message) => apply(message);

    public void Done(ChatMessage message) => _result.TrySetResult(message);

    public void Failed(Exception error) => _result.TrySetException(error);
}
