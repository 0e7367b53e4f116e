namespace OrleansChat.Rules;

/// <summary>The limits of the wire protocol, shared by the gateway's validation and the grains' own checks.</summary>
public static class ChatLimits
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 32;
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;
    public const int GroupMaxLength = 64;
    public const int TextMaxLength = 4000;
    public const int ClientMsgIdMaxLength = 64;
    public const int RequestIdMaxLength = 64;
    public const int HistoryDefaultLimit = 50;
    public const int HistoryMaxLimit = 200;

    /// <summary>A conversation remembers which messages its newest this many edits and deletions changed.</summary>
    public const int ChangeWindow = 1000;

    /// <summary>A repeated clientMsgId is recognised while the first message is among this many newest ones.</summary>
    public const int IdempotencyWindow = 1000;
}
