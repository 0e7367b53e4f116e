namespace OrleansChat.Groups;

/// <summary>The answer to a publish: where the message was stored (or, for a retry, where the first copy was).</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.PublishReceipt")]
public sealed record PublishReceipt(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTime Ts);
