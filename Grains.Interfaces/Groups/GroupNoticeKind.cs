namespace OrleansChat.Groups;

public enum GroupNoticeKind
{
    Invited,
    Kicked,
    Banned,
    Deleted,
}
