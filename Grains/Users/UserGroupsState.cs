namespace OrleansChat.Users;

/// <summary>The groups a user belongs to, kept apart from the account so a login never rewrites it.</summary>
[GenerateSerializer, Alias("OrleansChat.UserGroupsState")]
public sealed class UserGroupsState
{
    [Id(0)]
    public HashSet<string> Groups { get; set; } = [];
}
