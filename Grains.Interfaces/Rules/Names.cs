using System.Globalization;
using System.Text;

namespace OrleansChat.Rules;

/// <summary>
/// What a user or group name may be made of, and when two names are the same. Names are letters (of any
/// script), combining marks, decimal digits and <c>_ . -</c>; no spaces, symbols, control or format
/// characters (so no bidi overrides or zero-width joiners). A name is used in Unicode normalization form C,
/// so that one spelling typed two ways (é as one code point or as e plus an accent) is one name.
/// </summary>
public static class Names
{
    /// <summary>The form a name is used in: NFC. Text that is not valid Unicode is returned as it is (and then refused).</summary>
    public static string Normalize(string name)
    {
        try
        {
            return name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return name;
        }
    }

    /// <summary>
    /// The user grain's key (and the userId): usernames are unique ignoring case and compatibility forms, so
    /// "Alice", "ALICE" and a fullwidth "Ａｌｉｃｅ" are one account and look-alikes of those kinds are refused.
    /// </summary>
    public static string NormalizeUsername(string username)
    {
        try
        {
            return username.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return username.ToLowerInvariant();
        }
    }

    /// <summary>True for a name in NFC of <paramref name="min"/> to <paramref name="max"/> code points of allowed characters.</summary>
    public static bool IsWellFormed(string? name, int min, int max)
    {
        if (name is null || !IsNfc(name))
        {
            return false;
        }

        var count = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsNameRune(rune) || ++count > max)
            {
                return false;
            }
        }

        return count >= min;
    }

    /// <summary>Counts Unicode code points, as the protocol's length limits do; a surrogate pair counts once.</summary>
    public static int CodePointLength(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>A lone surrogate is not Unicode at all, and not NFC either.</summary>
    private static bool IsNfc(string name)
    {
        try
        {
            return name.IsNormalized(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsNameRune(Rune rune) =>
        rune.Value is '_' or '.' or '-'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber;
}
