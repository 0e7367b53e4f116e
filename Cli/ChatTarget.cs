namespace OrleansChat.Cli;

/// <summary>
/// What the message commands take as a target: a group's name, or <c>@user</c> for the direct conversation with
/// that user ('@' is in no group name).
/// </summary>
internal static class ChatTarget
{
    public static string Direct(string with) => "@" + with;

    /// <summary>The other user of an <c>@user</c> target; null for a group.</summary>
    public static string? DirectWith(string target) => target.StartsWith('@') ? target[1..] : null;
}
