namespace OrleansChat.History;

[GenerateSerializer, Alias("OrleansChat.HistoryPageState")]
public sealed class HistoryPageState
{
    [Id(0)]
    public List<ChatMessage> Messages { get; set; } = [];
}
