namespace OrleansChat.Groups;

/// <summary>One change: the rev it took and the seq of the message it changed.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.RecordedChange")]
public sealed record RecordedChange(
    [property: Id(0)] long Rev,
    [property: Id(1)] long Seq);
