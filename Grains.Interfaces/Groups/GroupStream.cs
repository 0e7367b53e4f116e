using Orleans.Runtime;

namespace OrleansChat.Groups;

/// <summary>Names of the stream each group publishes its events on.</summary>
public static class GroupStream
{
    public const string ProviderName = "chat";
    public const string Namespace = "group";

    public static StreamId For(string group) => StreamId.Create(Namespace, group);
}
