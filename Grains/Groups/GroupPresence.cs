namespace OrleansChat.Groups;

/// <summary>
/// Which members are online: soft state pushed by the members' user grains. A fresh activation does not
/// know it yet and asks every member once, the first time someone needs the member list.
/// </summary>
internal sealed class GroupPresence
{
    private readonly HashSet<string> _online = [];
    private HashSet<string>? _changedDuringRebuild;
    private Task? _rebuild;

    public bool IsOnline(string userId) => _online.Contains(userId);

    /// <summary>Records a member's presence; true when it changed what this group believed.</summary>
    public bool Set(string userId, bool online)
    {
        _changedDuringRebuild?.Add(userId);
        return online ? _online.Add(userId) : _online.Remove(userId);
    }

    public void Forget(string userId) => Set(userId, online: false);

    public Task EnsureKnown(IEnumerable<string> memberIds, Func<string, Task<bool>> isOnline)
    {
        if (_rebuild is { IsFaulted: true })
        {
            _rebuild = null;
        }

        return _rebuild ??= Rebuild(memberIds.ToList(), isOnline);
    }

    private async Task Rebuild(List<string> memberIds, Func<string, Task<bool>> isOnline)
    {
        _changedDuringRebuild = [];
        try
        {
            var answers = await Task.WhenAll(memberIds.Select(isOnline));
            foreach (var (userId, online) in memberIds.Zip(answers))
            {
                // A push that arrived while we were asking is newer than the answer.
                if (!_changedDuringRebuild.Contains(userId) && online)
                {
                    _online.Add(userId);
                }
            }
        }
        finally
        {
            _changedDuringRebuild = null;
        }
    }
}
