using OrleansChat.Rules;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class NamesTests
{
    [Theory]
    [InlineData("Alice", "alice")]
    [InlineData("ALICE", "alice")]
    [InlineData("Ａｌｉｃｅ", "alice")]
    [InlineData("José", "josé")]
    [InlineData("Jose\u0301", "josé")]
    [InlineData("ﬁsh", "fish")]
    public void LookAlikeUsernames_ShareOneKey(string username, string key) =>
        Assert.Equal(key, Names.NormalizeUsername(username));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Žofia_2.0", true)]
    [InlineData("Дмитрий", true)]
    [InlineData("山田太郎", true)]
    [InlineData("Jose\u0301", false)]
    [InlineData("ab", false)]
    [InlineData("al ice", false)]
    [InlineData("alice\u202E", false)]
    [InlineData("al\u200Bice", false)]
    [InlineData("ali\u0000ce", false)]
    [InlineData("alice😀", false)]
    [InlineData("ali\uD800ce", false)]
    public void Username_LettersDigitsAndPunctuation_InNfcOnly(string username, bool wellFormed) =>
        Assert.Equal(wellFormed, ChatRules.Username.IsMetBy(username));

    [Fact]
    public void Normalize_ComposesWhatWasTypedDecomposed() =>
        Assert.Equal("Caf\u00e9", Names.Normalize("Cafe\u0301"));
}
