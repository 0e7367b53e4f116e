using System.Text;
using OrleansChat.History;

namespace OrleansChat.Benchmarks;

/// <summary>Typical traffic: a publish of a short chat line, and the message event it becomes.</summary>
public static class SampleFrames
{
    public static readonly byte[] Publish = Encoding.UTF8.GetBytes(
        """{"type":"publish","id":"4711","group":"general","text":"see you at the standup in five minutes","clientMsgId":"c-0a1b2c3d"}""");

    public static readonly ChatMessage Message = new(
        4711, "alice", "alice", "see you at the standup in five minutes", new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc), "c-0a1b2c3d");
}
