using System.Globalization;

namespace OrleansChat.History;

/// <summary>The key of one sealed page of a group's history: page N holds seqs N*capacity+1 .. (N+1)*capacity.</summary>
public readonly record struct HistoryPageKey(string Group, long Index)
{
    // '/' cannot occur in a group name, so no two pages of two groups share a key.
    public string ToGrainKey() => string.Create(CultureInfo.InvariantCulture, $"{Group}/{Index}");

    /// <summary>The group whose page has this grain key.</summary>
    public static string GroupOf(string grainKey) => grainKey[..grainKey.LastIndexOf('/')];
}
