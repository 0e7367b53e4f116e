using System.Globalization;
using System.Text;

namespace OrleansChat.Tests.Fuzz;

/// <summary>
/// Makes hostile text frames from a seed: frames built from the protocol's request templates with values
/// of the wrong type, huge numbers, deep nesting, extra fields, Unicode edge cases and control characters,
/// then (half of them) mutated as text: cut, spliced, truncated, or sprinkled with random characters. The same
/// seed gives the same frames. Logout is left out: it ends the socket the test goes on with.
/// </summary>
internal sealed class FrameFuzzer(int seed, string group)
{
    private static readonly string[] Types =
        ["register", "login", "auth", "join", "leave", "publish", "history", "members", "groups", "typing", "ping", "change_password",
            "direct", "conversations", "block", "unblock", "forget", "read", "changes",
            "create", "invite", "kick", "ban", "unban", "promote", "demote", "transfer", "delete_group", "edit", "delete", "dance", ""];

    private static readonly string[] Fields =
        ["username", "password", "newPassword", "token", "group", "text", "clientMsgId", "after", "before", "limit", "id", "type", "extra",
            "to", "with", "user", "protocol", "seq", "visibility"];

    // Strings that have broken parsers and validators before: control characters, bidi overrides, zero-width
    // characters, combining marks, emoji, lone surrogates (as JSON escapes), NUL, quotes and backslashes.
    private static readonly string[] Awkward =
    [
        "", " ", "\\u0000", "\\u0007", "\\n\\r\\t", "\\u202E", "\\u200B", "\\u200D", "e\\u0301", "\\ud800", "\\udfff",
        "😀", "👩‍👩‍👧", "Ａｌｉｃｅ", "ﬁ", "Дмитрий", "山田", "\\\"", "\\\\", "%s%n", "<script>", "../../etc", "null",
    ];

    private readonly Random _random = new(seed);

    public string Next(int index)
    {
        var frame = Build(index);
        return _random.Next(2) == 0 ? Mutate(frame) : frame;
    }

    /// <summary>A frame of exactly <paramref name="bytes"/> UTF-8 bytes: a publish whose text pads it out.</summary>
    public static string OfSize(int bytes, string id, string group)
    {
        var head = $$"""{"type":"publish","id":"{{id}}","group":"{{group}}","text":""" + "\"";
        const string Tail = "\"}";
        return head + new string('x', bytes - Encoding.UTF8.GetByteCount(head) - Tail.Length) + Tail;
    }

    private string Build(int index)
    {
        var json = new StringBuilder("{");
        json.Append(CultureInfo.InvariantCulture, $"\"type\":{(_random.Next(20) == 0 ? Value(0) : Quoted(Pick(Types)))}");
        if (_random.Next(10) != 0)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"id\":{(_random.Next(15) == 0 ? Value(0) : Quoted($"f{index}"))}");
        }

        var fields = _random.Next(6);
        for (var i = 0; i < fields; i++)
        {
            var name = _random.Next(8) == 0 ? RandomString(1, 8) : Pick(Fields);
            json.Append(CultureInfo.InvariantCulture, $",{Quoted(name)}:{FieldValue(name)}");
        }

        return json.Append('}').ToString();
    }

    private string FieldValue(string name) => (name, _random.Next(3)) switch
    {
        ("group", 0) => Quoted(group),
        ("username" or "group" or "to" or "with" or "user", 1) => Quoted(RandomName()),
        ("protocol", 0) => _random.Next(-1, 4).ToString(CultureInfo.InvariantCulture),
        ("password" or "newPassword", 0) => Quoted("a valid but wrong password"),
        ("after" or "before" or "limit" or "seq", 0) => _random.Next(-2, 300).ToString(CultureInfo.InvariantCulture),
        _ => Value(0),
    };

    private string Value(int depth) => _random.Next(depth > 3 ? 8 : 12) switch
    {
        0 => "null",
        1 => _random.Next(2) == 0 ? "true" : "false",
        2 => Pick(["0", "-0", "-1", "1.5", "1e308", "-1e-308", "123456789012345678901234567890", "9223372036854775808"]),
        3 => _random.Next().ToString(CultureInfo.InvariantCulture),
        4 or 5 => Quoted(RandomString(0, 40)),
        6 => Quoted(Pick(Awkward)),
        7 => Quoted(new string('w', _random.Next(3990, 4010))),
        8 => $"[{string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1)))}]",
        9 => $"{{{string.Join(',', Enumerable.Range(0, _random.Next(3)).Select(i => $"\"k{i}\":{Value(depth + 1)}"))}}}",
        10 => Nested(_random.Next(1, 400)),
        _ => Quoted(RandomName()),
    };

    private string Mutate(string frame)
    {
        var text = new StringBuilder(frame);
        var edits = _random.Next(1, 4);
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var at = _random.Next(text.Length);
            switch (_random.Next(5))
            {
                case 0:
                    text.Remove(at, Math.Min(_random.Next(1, 6), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Pick(["{", "}", "[", "]", ",", ":", "\"", "\\", "\u0001", "\u00e9", "😀", "\ufffe"]));
                    break;
                case 2:
                    text.Length = at;
                    break;
                case 3:
                    text.Insert(at, frame.AsSpan(_random.Next(frame.Length / 2)));
                    break;
                default:
                    text[at] = (char)_random.Next(0x20, 0x7f);
                    break;
            }
        }

        // A mutation can split a surrogate pair; a WebSocket text frame must be UTF-8, so repair what it split.
        return ReplaceLoneSurrogates(text.ToString());
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private string Nested(int depth) => _random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private string RandomName() => _random.Next(3) switch
    {
        0 => $"fz{_random.Next(1000)}",
        1 => RandomString(1, 70),
        _ => Pick(Awkward).Replace("\\", "", StringComparison.Ordinal) + _random.Next(100),
    };

    private string RandomString(int min, int max)
    {
        var length = _random.Next(min, max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(4) switch
            {
                0 => (char)_random.Next(0x20, 0x7f),
                1 => (char)_random.Next(0xa0, 0x2fff),
                2 => "\\u" + _random.Next(0, 0x10000).ToString("x4", CultureInfo.InvariantCulture),
                _ => (char)_random.Next('a', 'z' + 1),
            });
        }

        return text.ToString().Replace("\"", "", StringComparison.Ordinal).TrimEnd('\\');
    }

    private static string Quoted(string text) => $"\"{text}\"";

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
