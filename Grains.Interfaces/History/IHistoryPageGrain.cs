using Orleans.Concurrency;

namespace OrleansChat.History;

/// <summary>A full page of a group's history, written once when the group's newest page fills up.</summary>
[Alias("OrleansChat.IHistoryPageGrain")]
public interface IHistoryPageGrain : IGrainWithStringKey
{
    /// <summary>Stores the page. Idempotent: sealing again with the same messages changes nothing.</summary>
    Task Seal(IReadOnlyList<ChatMessage> messages);

    /// <summary>Stores a changed (edited or deleted) message in place of the one with its seq.</summary>
    Task Replace(ChatMessage message);

    /// <summary>The page's messages, for a member of its group; forbidden for anyone else.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ChatMessage>> GetMessages(string userId);
}
