using OrleansChat.Direct;
using OrleansChat.Groups;

namespace OrleansChat.Conversations;

/// <summary>
/// Names one conversation's message log: a group by its name, or the direct conversation of two users by
/// both their userIds. The grain key is the group's name as it always was, or <c>dm:&lt;a&gt;:&lt;b&gt;</c> with the
/// userIds in ordinal order, so both users name one conversation. ':' is in no group name or userId, so no
/// group's key (and no key of its history pages) is ever a direct conversation's.
/// </summary>
public readonly record struct ConversationKey
{
    private const string DirectPrefix = "dm:";
    private const char Separator = ':';

    private ConversationKey(string? group, string? first, string? second) => (Group, First, Second) = (group, first, second);

    /// <summary>The group's name; null for a direct conversation.</summary>
    public string? Group { get; }

    /// <summary>The ordinally smaller userId of a direct conversation; null for a group.</summary>
    public string? First { get; }

    /// <summary>The ordinally larger userId of a direct conversation; null for a group.</summary>
    public string? Second { get; }

    public bool IsDirect => Group is null;

    public static ConversationKey ForGroup(string group) => new(group, null, null);

    /// <summary>The conversation of two different users, whichever of them names it.</summary>
    public static ConversationKey Between(string userId, string otherUserId)
    {
        if (userId.Contains(Separator) || otherUserId.Contains(Separator) || userId == otherUserId)
        {
            throw new ArgumentException($"no direct conversation between '{userId}' and '{otherUserId}'");
        }

        return string.CompareOrdinal(userId, otherUserId) < 0 ? new(null, userId, otherUserId) : new(null, otherUserId, userId);
    }

    public static ConversationKey Parse(string grainKey)
    {
        if (!grainKey.StartsWith(DirectPrefix, StringComparison.Ordinal))
        {
            return ForGroup(grainKey);
        }

        var users = grainKey[DirectPrefix.Length..].Split(Separator);
        return users is [var first, var second] && string.CompareOrdinal(first, second) < 0
            ? new(null, first, second)
            : throw new FormatException($"'{grainKey}' is not a conversation key");
    }

    /// <summary>True for a participant of a direct conversation; a group's members are the group grain's to say.</summary>
    public bool IsParticipant(string userId) => IsDirect && (userId == First || userId == Second);

    /// <summary>The other participant of a direct conversation.</summary>
    public string PeerOf(string userId) =>
        userId == First ? Second! : userId == Second ? First! : throw new ArgumentException($"{userId} is not in {this}");

    public string ToGrainKey() => Group ?? $"{DirectPrefix}{First}{Separator}{Second}";

    /// <summary>The grain that owns this conversation's messages and answers who may read them.</summary>
    public IMessageLogGrain Log(IGrainFactory grains) =>
        IsDirect ? grains.GetGrain<IDirectGrain>(ToGrainKey()) : grains.GetGrain<IGroupGrain>(ToGrainKey());

    public override string ToString() => ToGrainKey();
}
