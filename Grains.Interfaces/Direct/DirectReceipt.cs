namespace OrleansChat.Direct;

/// <summary>The answer to a direct message: where it was stored, and the recipient's registered username.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.DirectReceipt")]
public sealed record DirectReceipt(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTime Ts,
    [property: Id(2)] string With);
