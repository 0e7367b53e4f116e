namespace OrleansChat.Groups;

/// <summary>
/// A conversation's change counter and which messages its newest changes (edits, deletions) touched, kept apart
/// from the head so that a publish never writes it.
/// </summary>
[GenerateSerializer, Alias("OrleansChat.ChangesState")]
public sealed class ChangesState
{
    /// <summary>How many changes the conversation's messages have had.</summary>
    [Id(0)]
    public long Rev { get; set; }

    /// <summary>The newest changes, oldest first, at most <see cref="Rules.ChatLimits.ChangeWindow"/>.</summary>
    [Id(1)]
    public List<RecordedChange> Recent { get; set; } = [];
}
