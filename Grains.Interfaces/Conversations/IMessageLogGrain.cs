using Orleans.Concurrency;
using OrleansChat.Groups;

namespace OrleansChat.Conversations;

/// <summary>
/// What every conversation's grain (a group, a direct conversation) answers to the readers of its history:
/// only for a member, so that no reader can go around the check.
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

    /// <summary>The newest page, for a member's history reads.</summary>
    [AlwaysInterleave]
    Task<HeadPage> GetHead(string userId);
}
