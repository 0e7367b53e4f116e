namespace OrleansChat.History;

/// <summary>
/// What an edit or a deletion makes of a stored message, and who may make it: its author edits and deletes; an
/// owner or admin of a group deletes too. A deleted message stays at its seq as a tombstone with no text.
/// </summary>
internal static class MessageEdits
{
    public static ChatMessage Edit(ChatMessage message, string userId, string text, DateTime now)
    {
        if (message.Deleted)
        {
            throw Fail.Conflict($"message {message.Seq} was deleted");
        }

        return message.FromUserId == userId
            ? message with { Text = text, EditedAt = now }
            : throw Fail.Forbidden("only its author may edit a message");
    }

    public static ChatMessage Delete(ChatMessage message, string userId, string username, bool moderator, DateTime now)
    {
        if (message.Deleted)
        {
            return message;
        }

        return message.FromUserId == userId || moderator
            ? message with { Text = "", Deleted = true, DeletedBy = username, EditedAt = now }
            : throw Fail.Forbidden("only its author, or an owner or admin of the group, may delete a message");
    }
}
