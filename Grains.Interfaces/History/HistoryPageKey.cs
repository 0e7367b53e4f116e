using System.Globalization;

namespace OrleansChat.History;

/// <summary>
/// The key of one sealed page of a conversation's history (<see cref="Conversations.ConversationKey"/>): page N
/// holds seqs N*capacity+1 .. (N+1)*capacity.
/// </summary>
public readonly record struct HistoryPageKey(string Conversation, long Index)
{
    // '/' occurs in no conversation key, so no two pages of two conversations share a key.
    public string ToGrainKey() => string.Create(CultureInfo.InvariantCulture, $"{Conversation}/{Index}");

    /// <summary>The conversation key of the page with this grain key.</summary>
    public static string ConversationOf(string grainKey) => grainKey[..grainKey.LastIndexOf('/')];
}
