using System.Globalization;

namespace OrleansChat.History;

/// <summary>The key of one sealed page of a group's history: page N holds seqs N*capacity+1 .. (N+1)*capacity.</summary>
public readonly record struct HistoryPageKey(string Group, long Index)
{
    // '/' cannot occur in a group name, so the split is unambiguous.
    public string ToGrainKey() => string.Create(CultureInfo.InvariantCulture, $"{Group}/{Index}");

    public static HistoryPageKey Parse(string grainKey)
    {
        var slash = grainKey.LastIndexOf('/');
        return new HistoryPageKey(grainKey[..slash], long.Parse(grainKey[(slash + 1)..], CultureInfo.InvariantCulture));
    }
}
