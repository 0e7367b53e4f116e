namespace OrleansChat.Groups;

/// <summary>
/// What a group tells a user it acted on (and the user grain tells the user's gateways): an invitation, or the end
/// of the membership by a kick, a ban or the group's deletion. <see cref="By"/> is who did it.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.GroupNotice")]
public sealed record GroupNotice(
    [property: Id(0)] string Group,
    [property: Id(1)] GroupNoticeKind Kind,
    [property: Id(2)] string By)
{
    public bool EndsMembership => Kind != GroupNoticeKind.Invited;
}
