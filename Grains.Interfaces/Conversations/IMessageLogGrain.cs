using Orleans.Concurrency;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Conversations;

/// <summary>
/// What every conversation's grain (a group, a direct conversation) answers to the readers of its history, and
/// the changes its members may make to stored messages: only for a member, so that no caller can go around the
/// check.
/// </summary>
[Alias("OrleansChat.IMessageLogGrain")]
public interface IMessageLogGrain : IGrainWithStringKey
{
    /// <summary>Completes for a member; not_found for a missing conversation, forbidden for anyone else.</summary>
    [AlwaysInterleave]
    Task RequireMember(string userId);

    /// <summary>The seq of the newest stored message (0 for none), for a member.</summary>
    [AlwaysInterleave]
    Task<long> GetLastSeq(string userId);

    /// <summary>The newest seq and the change counter, for a member.</summary>
    [AlwaysInterleave]
    Task<LogPosition> GetPosition(string userId);

    /// <summary>
    /// For a member, the seqs of the messages changed after <paramref name="afterRev"/>, at most
    /// <paramref name="limit"/> of them, oldest change first.
    /// </summary>
    [AlwaysInterleave]
    Task<ChangedSeqs> GetChanges(string userId, long afterRev, int limit);

    /// <summary>The newest page, for a member's history reads.</summary>
    [AlwaysInterleave]
    Task<HeadPage> GetHead(string userId);

    /// <summary>Changes the text of a message of the user's; answers it as stored now. not_found for no such seq, conflict once deleted.</summary>
    [AlwaysInterleave]
    Task<ChatMessage> Edit(string userId, long seq, string text);

    /// <summary>Deletes a message (the author's own, or any for a group's owner or admin), leaving a tombstone at its seq.</summary>
    [AlwaysInterleave]
    Task<ChatMessage> Delete(string userId, long seq);
}
