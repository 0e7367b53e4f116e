using OrleansChat.Conversations;
using OrleansChat.Rules;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ConversationKeyTests
{
    [Fact]
    public void Between_IsTheSameKeyWhicheverUserNamesIt()
    {
        var key = ConversationKey.Between("bob", "ann");

        Assert.Equal(key, ConversationKey.Between("ann", "bob"));
        Assert.Equal("dm:ann:bob", key.ToGrainKey());
        Assert.Equal(key, ConversationKey.Parse(key.ToGrainKey()));
        Assert.True(key.IsDirect);
        Assert.Equal("bob", key.PeerOf("ann"));
        Assert.Equal("ann", key.PeerOf("bob"));
        Assert.True(key.IsParticipant("ann"));
        Assert.False(key.IsParticipant("cat"));
    }

    [Theory]
    [InlineData("general")]
    [InlineData("dm")]
    [InlineData("dm.ann.bob")]
    public void GroupNames_ParseAsGroups_Unchanged(string group)
    {
        var key = ConversationKey.Parse(group);

        Assert.False(key.IsDirect);
        Assert.Equal(group, key.Group);
        Assert.Equal(group, key.ToGrainKey());
        Assert.False(key.IsParticipant(group));
    }

    /// <summary>':' is not a name character, so no group (and no page of one) can share a direct conversation's key.</summary>
    [Fact]
    public void NoValidGroupName_LooksLikeADirectConversation() =>
        Assert.False(ChatRules.Group.IsMetBy(ConversationKey.Between("ann", "bob").ToGrainKey()));

    [Theory]
    [InlineData("ann", "ann")]
    [InlineData("a:b", "cat")]
    public void Between_RefusesOneUserOrAColonInAUserId(string userId, string otherUserId) =>
        Assert.Throws<ArgumentException>(() => ConversationKey.Between(userId, otherUserId));

    [Theory]
    [InlineData("dm:ann")]
    [InlineData("dm:bob:ann")]
    [InlineData("dm:ann:bob:cat")]
    [InlineData("dm:ann:ann")]
    public void Parse_RefusesMalformedDirectKeys(string grainKey) =>
        Assert.Throws<FormatException>(() => ConversationKey.Parse(grainKey));
}
