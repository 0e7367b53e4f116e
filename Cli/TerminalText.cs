using System.Globalization;
using System.Text;

namespace OrleansChat.Cli;

/// <summary>
/// Text from the server made safe for a terminal. Anyone in a group chooses what the others' terminals print,
/// so control characters (escape sequences that move the cursor, clear the screen or retitle the window, and
/// newlines that would forge a line of their own) and bidi controls (which reorder what follows) are shown as
/// visible \uXXXX escapes instead.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || c is '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
