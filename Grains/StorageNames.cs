namespace OrleansChat;

public static class StorageNames
{
    /// <summary>Grain state: accounts, groups and history.</summary>
    public const string Chat = "chat";

    /// <summary>The stream provider's subscription store; Orleans looks it up by this name.</summary>
    public const string PubSub = "PubSubStore";
}
