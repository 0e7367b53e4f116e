namespace OrleansChat.History;

/// <summary>
/// A history request: with <see cref="After"/>, the oldest messages above it; otherwise the newest
/// below <see cref="Before"/> (or the newest of all). Both bounds are exclusive.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.HistoryQuery")]
public sealed record HistoryQuery(
    [property: Id(0)] long? After,
    [property: Id(1)] long? Before,
    [property: Id(2)] int Limit);
