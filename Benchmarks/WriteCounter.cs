namespace OrleansChat.Benchmarks;

/// <summary>Counts frames written by many sockets and completes when the expected number has arrived.</summary>
public sealed class WriteCounter
{
    private int _remaining;
    private TaskCompletionSource _done = new();

    public Task Expect(int writes)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, writes);
        return _done.Task;
    }

    public void Written()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
