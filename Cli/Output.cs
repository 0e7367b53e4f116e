using System.Globalization;
using System.Text.Json;
using OrleansChat.Client;
using Spectre.Console;

namespace OrleansChat.Cli;

/// <summary>Everything the CLI prints: for people by default, one JSON object per line with --json.</summary>
internal sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions JsonLines = new(JsonSerializerDefaults.Web);

    public void Message(MessageReceived message)
    {
        if (json)
        {
            Line(new { type = "message", group = message.Group, seq = message.Seq, from = message.From, text = message.Text, ts = WireTime(message.Ts), clientMsgId = message.ClientMsgId, edited = message.Edited, deleted = message.Deleted });
            return;
        }

        StoredMessage(message.Seq, message.Ts, message.From, Shown(message.Text, message.Edited, message.Deleted));
    }

    /// <summary>A direct message, printed as a group's is; as JSON it carries the other user in <c>with</c>.</summary>
    public void Direct(DirectReceived message)
    {
        if (json)
        {
            Line(new { type = "direct", with = message.With, seq = message.Seq, from = message.From, text = message.Text, ts = WireTime(message.Ts), clientMsgId = message.ClientMsgId, edited = message.Edited, deleted = message.Deleted });
            return;
        }

        StoredMessage(message.Seq, message.Ts, message.From, Shown(message.Text, message.Edited, message.Deleted));
    }

    public void Event(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case MessageReceived message:
                Message(message);
                break;
            case DirectReceived direct:
                Direct(direct);
                break;
            case PresenceChanged presence when json:
                Line(new { type = "presence", group = presence.Group, user = presence.User, status = presence.Status });
                break;
            case PresenceChanged presence:
                Human($"{presence.Group}: {presence.User} {presence.Status}", $"[grey]{presence.Group}: {presence.User} {presence.Status}[/]");
                break;
            case MemberChanged change when json:
                Line(new { type = "member", group = change.Group, user = change.User, action = change.Action, by = change.By, role = change.Role });
                break;
            case MemberChanged change:
                Human($"{change.Group}: {change.User} {change.Action} by {change.By} ({change.Role})", $"[grey]{change.Group}: {change.User} {change.Action} by {change.By} ({change.Role})[/]");
                break;
            case MessageChanged change when json:
                Line(new { type = change.Deleted ? "deleted" : "edited", group = change.Group, with = change.With, seq = change.Seq, text = change.Text, by = change.By });
                break;
            case MessageChanged change:
                Human($"#{change.Seq} {(change.Deleted ? $"deleted by {change.By}" : $"edited: {TerminalText.Escape(change.Text)}")}", $"[grey]#{change.Seq} {(change.Deleted ? $"deleted by {change.By}" : $"edited: {TerminalText.Escape(change.Text)}")}[/]");
                break;
            case ChangesMissed missed:
                Status($"{TerminalText.Escape(missed.Group ?? $"@{missed.With}")}: more edits were missed than the server remembers; read its history again");
                break;
            case InvitationReceived invitation:
                Status($"{invitation.By} invites you to {invitation.Group}; join it to accept");
                break;
            case GroupDeleted deleted:
                Status($"{deleted.Group} was deleted by {deleted.By}");
                break;
            case UserTyping typing when json:
                Line(new { type = "typing", group = typing.Group, user = typing.User });
                break;
            case ConnectionLost lost:
                Status($"connection lost ({TerminalText.Escape(lost.Reason)}); reconnecting…");
                break;
            case Reconnected reconnected:
                Status($"reconnected; caught up {reconnected.MissedMessages} missed message(s)");
                break;
        }
    }

    /// <summary>A result: the object as a JSON line, or the human text.</summary>
    public void Result(object value, string human)
    {
        if (json)
        {
            Line(value);
        }
        else
        {
            Console.Out.WriteLine(human);
        }
    }

    public void Members(string group, IReadOnlyList<Member> members)
    {
        if (json)
        {
            Line(new { group, members });
            return;
        }

        foreach (var member in members)
        {
            var role = member.Role == "member" ? "" : $" ({member.Role})";
            Human(
                $"{(member.Online ? "online " : "offline")} {member.Username}{role}",
                $"{(member.Online ? "[green]●[/]" : "[grey]○[/]")} {member.Username}{role}");
        }
    }

    /// <summary>A message's text as printed for people: marked when it was edited, a note in its place when deleted.</summary>
    private static string Shown(string text, bool edited, bool deleted) => deleted ? "[deleted]" : edited ? $"{text} (edited)" : text;

    private static void StoredMessage(long seq, DateTimeOffset ts, string from, string text)
    {
        var time = ts.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        (from, text) = (TerminalText.Escape(from), TerminalText.Escape(text));
        Human($"#{seq} {time} {from}: {text}", $"[grey]#{seq} {time}[/] [bold]{from}[/]: {text}");
    }

    /// <summary>
    /// Colour for a terminal; the plain line when piped, where Spectre would also wrap long lines at its
    /// assumed width.
    /// </summary>
    private static void Human(string plain, FormattableString markup)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(plain);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.CurrentCulture, markup);
        }
    }

    /// <summary>", N unread" for a list entry, or nothing when all is read.</summary>
    public static string UnreadNote(long unread) => unread > 0 ? $", {unread} unread" : "";

    /// <summary>Progress and connection notes go to stderr, so stdout stays only results.</summary>
    public static void Status(string text) => Console.Error.WriteLine(text);

    public static void Error(string text) => Console.Error.WriteLine($"error: {TerminalText.Escape(text)}");

    /// <summary>The protocol's own time format, so JSON lines look like the server's frames.</summary>
    public static string WireTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Line(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonLines));
}
