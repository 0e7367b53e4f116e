using System.Threading.Channels;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

/// <summary>A gateway's callback as a test holds it: records what user grains tell it, to be awaited, never polled.</summary>
public sealed class RecordingGateway : IGatewayObserver
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Channel<(string UserId, string Group, bool IsMember)> _changes = Channel.CreateUnbounded<(string, string, bool)>();
    private readonly Channel<IReadOnlyList<long>> _endedSessions = Channel.CreateUnbounded<IReadOnlyList<long>>();
    private readonly Channel<(string UserId, ReadMarker Marker)> _readMarkers = Channel.CreateUnbounded<(string, ReadMarker)>();
    private readonly Channel<(string UserId, GroupNotice Notice)> _groupNotices = Channel.CreateUnbounded<(string, GroupNotice)>();

    public Task MembershipChanged(string userId, string group, bool isMember, long lastSeq)
    {
        _changes.Writer.TryWrite((userId, group, isMember));
        return Task.CompletedTask;
    }

    public Task SessionsEnded(string userId, IReadOnlyList<long> sessionIds)
    {
        _endedSessions.Writer.TryWrite(sessionIds);
        return Task.CompletedTask;
    }

    public Task ReadMarked(string userId, ReadMarker marker)
    {
        _readMarkers.Writer.TryWrite((userId, marker));
        return Task.CompletedTask;
    }

    public Task GroupNoticed(string userId, GroupNotice notice)
    {
        _groupNotices.Writer.TryWrite((userId, notice));
        return Task.CompletedTask;
    }

    public async Task<(string UserId, GroupNotice Notice)> NextGroupNoticeAsync() =>
        await _groupNotices.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async Task<(string UserId, string Group, bool IsMember)> NextAsync() =>
        await _changes.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async Task<IReadOnlyList<long>> NextEndedSessionsAsync() =>
        await _endedSessions.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async Task<(string UserId, ReadMarker Marker)> NextReadMarkerAsync() =>
        await _readMarkers.Reader.ReadAsync().AsTask().WaitAsync(Patience);
}
