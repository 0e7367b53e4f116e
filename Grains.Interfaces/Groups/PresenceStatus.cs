namespace OrleansChat.Groups;

public enum PresenceStatus
{
    Joined,
    Left,
    Online,
    Offline,
}
