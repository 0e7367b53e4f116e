using System.Text;
using OrleansChat.Errors;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RequestParserTests
{
    public static TheoryData<string, object> ValidFrames => new()
    {
        { """{"type":"ping"}""", new PingRequest(RequestId.None) },
        { """{"type":"ping","id":"7"}""", new PingRequest(new RequestId("7")) },
        { """{"type":"register","id":"1","username":"alice","password":"correct horse"}""", new RegisterRequest(new RequestId("1"), "alice", "correct horse") },
        { """{"type":"login","id":"1","username":"Al.ice-_9","password":"12345678"}""", new LoginRequest(new RequestId("1"), "Al.ice-_9", "12345678", 1) },
        { """{"type":"login","id":"1","username":"alice","password":"12345678","protocol":2}""", new LoginRequest(new RequestId("1"), "alice", "12345678", 2) },
        { """{"type":"auth","id":"1","token":"alice.c2VjcmV0","protocol":null}""", new AuthRequest(new RequestId("1"), "alice.c2VjcmV0", 1) },
        { """{"type":"direct","id":"1","to":"Bob","text":"hi","clientMsgId":"d-1"}""", new DirectRequest(new RequestId("1"), "Bob", "hi", "d-1") },
        { """{"type":"history","id":"1","with":"Bob","after":3}""", new DirectHistoryRequest(new RequestId("1"), "Bob", new HistoryQuery(3, null, 50)) },
        { """{"type":"conversations","id":"1"}""", new ConversationsRequest(new RequestId("1")) },
        { """{"type":"block","id":"1","user":"bob"}""", new BlockRequest(new RequestId("1"), "bob", Blocked: true) },
        { """{"type":"unblock","id":"1","user":"bob"}""", new BlockRequest(new RequestId("1"), "bob", Blocked: false) },
        { """{"type":"forget","id":"1","user":"bob"}""", new ForgetRequest(new RequestId("1"), "bob") },
        { """{"type":"create","id":"1","group":"g"}""", new CreateRequest(new RequestId("1"), "g", GroupVisibility.Public) },
        { """{"type":"create","id":"1","group":"g","visibility":"private"}""", new CreateRequest(new RequestId("1"), "g", GroupVisibility.Private) },
        { """{"type":"transfer","id":"1","group":"g","user":"Bob"}""", new ModerateRequest(new RequestId("1"), "g", "Bob", MemberAction.Transfer) },
        { """{"type":"delete_group","id":"1","group":"g"}""", new DeleteGroupRequest(new RequestId("1"), "g") },
        { """{"type":"edit","id":"1","group":"g","seq":3,"text":"fixed"}""", new EditRequest(new RequestId("1"), "g", null, 3, "fixed") },
        { """{"type":"delete","id":"1","with":"Bob","seq":2}""", new DeleteRequest(new RequestId("1"), null, "Bob", 2) },
        { """{"type":"read","id":"1","group":"g","seq":7}""", new ReadRequest(new RequestId("1"), "g", null, 7) },
        { """{"type":"read","id":"1","with":"Bob","seq":0}""", new ReadRequest(new RequestId("1"), null, "Bob", 0) },
        { """{"type":"changes","id":"1","group":"g","after":4}""", new ChangesRequest(new RequestId("1"), "g", null, 4, 50) },
        { """{"type":"changes","id":"1","with":"Bob","after":0,"limit":500}""", new ChangesRequest(new RequestId("1"), null, "Bob", 0, 200) },
        { """{"type":"auth","id":"1","token":"alice.c2VjcmV0"}""", new AuthRequest(new RequestId("1"), "alice.c2VjcmV0", 1) },
        { """{"type":"join","id":"1","group":"general"}""", new JoinRequest(new RequestId("1"), "general") },
        { """{"type":"leave","id":"1","group":"general"}""", new LeaveRequest(new RequestId("1"), "general") },
        { """{"type":"publish","id":"1","group":"g","text":"hi"}""", new PublishRequest(new RequestId("1"), "g", "hi", null) },
        { """{"type":"publish","id":"1","group":"g","text":"hi","clientMsgId":null}""", new PublishRequest(new RequestId("1"), "g", "hi", null) },
        { """{"type":"publish","group":"g","text":"😀 ünïcode","clientMsgId":"m-1"}""", new PublishRequest(RequestId.None, "g", "😀 ünïcode", "m-1") },
        { """{"type":"history","id":"1","group":"g"}""", new HistoryRequest(new RequestId("1"), "g", new HistoryQuery(null, null, 50)) },
        { """{"type":"history","id":"1","group":"g","after":10,"limit":2}""", new HistoryRequest(new RequestId("1"), "g", new HistoryQuery(10, null, 2)) },
        { """{"type":"history","id":"1","group":"g","before":0,"after":null,"limit":null}""", new HistoryRequest(new RequestId("1"), "g", new HistoryQuery(null, 0, 50)) },
        { """{"type":"history","id":"1","group":"g","limit":1000}""", new HistoryRequest(new RequestId("1"), "g", new HistoryQuery(null, null, 200)) },
        { """{"type":"history","id":"1","group":"g","limit":123456789012345678901234567890}""", new HistoryRequest(new RequestId("1"), "g", new HistoryQuery(null, null, 200)) },
        { """{"type":"members","id":"1","group":"g"}""", new MembersRequest(new RequestId("1"), "g") },
        { """{"type":"join","id":"1","group":"Café-日本"}""", new JoinRequest(new RequestId("1"), "Café-日本") },
        { """{"type":"join","id":"1","group":"Cafe\u0301"}""", new JoinRequest(new RequestId("1"), "Caf\u00e9") },
        { """{"type":"login","id":"1","username":"José","password":"12345678"}""", new LoginRequest(new RequestId("1"), "José", "12345678", 1) },
        { """{"type":"groups","id":"1"}""", new GroupsRequest(new RequestId("1")) },
        { """{"type":"typing","group":"g","extra":[1,{"x":2}]}""", new TypingRequest(RequestId.None, "g") },
    };

    public static TheoryData<string, string?, ChatErrorCode, string> InvalidFrames => new()
    {
        { "not json", null, ChatErrorCode.BadRequest, "the frame is not valid JSON" },
        { "[1,2]", null, ChatErrorCode.BadRequest, "a frame must be one JSON object" },
        { """{"id":"1"}""", "\"1\"", ChatErrorCode.BadRequest, "type must be a string" },
        { """{"id":"1","type":5}""", "\"1\"", ChatErrorCode.BadRequest, "type must be a string" },
        { """{"id":"1","type":"\udfb8"}""", "\"1\"", ChatErrorCode.BadRequest, "type must be a string" },
        { """{"id":"1","type":"dance","\ud800":1}""", "\"1\"", ChatErrorCode.BadRequest, "unknown type dance" },
        { """{"id":"1","type":"dance"}""", "\"1\"", ChatErrorCode.BadRequest, "unknown type dance" },
        { """{"id":5,"type":"ping"}""", "5", ChatErrorCode.BadRequest, "id must be a string of 1 to 64 characters" },
        { """{"id":"","type":"ping"}""", "\"\"", ChatErrorCode.BadRequest, "id must be a string of 1 to 64 characters" },
        { """{"id":"1","type":"join"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field group" },
        { """{"id":"1","type":"join","group":7}""", "\"1\"", ChatErrorCode.BadRequest, "group must be a string" },
        { """{"id":"1","type":"join","group":"a b"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be 1 to 64 letters, digits or _ . -" },
        { """{"id":"1","type":"join","group":"\ud800"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be a string" },
        { """{"id":"1","type":"join","group":"a\u202Eb"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be 1 to 64 letters, digits or _ . -" },
        { """{"id":"1","type":"join","group":"a\u200Db"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be 1 to 64 letters, digits or _ . -" },
        { """{"id":"1","type":"join","group":"😀"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be 1 to 64 letters, digits or _ . -" },
        { """{"id":"1","type":"join","group":"a\u0007b"}""", "\"1\"", ChatErrorCode.BadRequest, "group must be 1 to 64 letters, digits or _ . -" },
        { """{"id":"1","type":"register","username":"al ice","password":"12345678"}""", "\"1\"", ChatErrorCode.BadRequest, "username must be 3 to 32 letters, digits or _ . -" },
        { """{"id":"1","type":"register","username":"al","password":"12345678"}""", "\"1\"", ChatErrorCode.BadRequest, "username must be 3 to 32 letters, digits or _ . -" },
        { """{"id":"1","type":"login","username":"alice","password":"short"}""", "\"1\"", ChatErrorCode.BadRequest, "password must be 8 to 128 characters" },
        { """{"id":"1","type":"publish","group":"g","text":""}""", "\"1\"", ChatErrorCode.BadRequest, "text must not be empty" },
        { """{"id":"1","type":"login","username":"alice","password":"12345678","protocol":3}""", "\"1\"", ChatErrorCode.BadRequest, "protocol must be 1 or 2" },
        { """{"id":"1","type":"direct","text":"hi"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field to" },
        { """{"id":"1","type":"direct","to":"a b","text":"hi"}""", "\"1\"", ChatErrorCode.BadRequest, "to must be a username (3 to 32 letters, digits or _ . -)" },
        { """{"id":"1","type":"history","group":"g","with":"bob"}""", "\"1\"", ChatErrorCode.BadRequest, "give group or with, not both" },
        { """{"id":"1","type":"block"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field user" },
        { """{"id":"1","type":"forget"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field user" },
        { """{"id":"1","type":"changes","group":"g"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field after" },
        { """{"id":"1","type":"changes","group":"g","after":-2}""", "\"1\"", ChatErrorCode.BadRequest, "after must be a whole number, 0 or more" },
        { """{"id":"1","type":"create","group":"g","visibility":"secret"}""", "\"1\"", ChatErrorCode.BadRequest, "visibility must be public or private" },
        { """{"id":"1","type":"ban","group":"g"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field user" },
        { """{"id":"1","type":"read","group":"g"}""", "\"1\"", ChatErrorCode.BadRequest, "missing field seq" },
        { """{"id":"1","type":"read","group":"g","seq":null}""", "\"1\"", ChatErrorCode.BadRequest, "seq must be a whole number, 0 or more" },
        { """{"id":"1","type":"read","group":"g","seq":-1}""", "\"1\"", ChatErrorCode.BadRequest, "seq must be a whole number, 0 or more" },
        { """{"id":"1","type":"publish","group":"g","text":"hi","clientMsgId":""}""", "\"1\"", ChatErrorCode.BadRequest, "clientMsgId must be a string of 1 to 64 characters" },
        { """{"id":"1","type":"publish","group":"g","text":"hi","clientMsgId":3}""", "\"1\"", ChatErrorCode.BadRequest, "clientMsgId must be a string of 1 to 64 characters" },
        { """{"id":"1","type":"history","group":"g","after":-1}""", "\"1\"", ChatErrorCode.BadRequest, "after must be a whole number, 0 or more" },
        { """{"id":"1","type":"history","group":"g","before":1.5}""", "\"1\"", ChatErrorCode.BadRequest, "before must be a whole number, 0 or more" },
        { """{"id":"1","type":"history","group":"g","limit":0}""", "\"1\"", ChatErrorCode.BadRequest, "limit must be a whole number, 1 or more" },
        { """{"id":"1","type":"history","group":"g","limit":"5"}""", "\"1\"", ChatErrorCode.BadRequest, "limit must be a whole number, 1 or more" },
    };

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void ValidFrame_BecomesItsRequest(string frame, object expected) =>
        Assert.Equal(expected, (object)Parse(frame));

    [Theory]
    [MemberData(nameof(InvalidFrames))]
    public void InvalidFrame_BecomesItsError(string frame, string? idJson, ChatErrorCode code, string message)
    {
        var invalid = Assert.IsType<InvalidRequest>(Parse(frame));

        Assert.Equal((code, message), (invalid.Code, invalid.Message));
        Assert.Equal(idJson, IdJson(invalid.Id));
    }

    [Fact]
    public void TextAtTheLimit_Accepted_OneMore_TooLarge()
    {
        var atLimit = new string('x', 3999) + "😀";

        Assert.IsType<PublishRequest>(Parse($$"""{"type":"publish","group":"g","text":"{{atLimit}}"}"""));
        var tooLong = Assert.IsType<InvalidRequest>(Parse($$"""{"type":"publish","group":"g","text":"{{atLimit}}x"}"""));
        Assert.Equal(ChatErrorCode.TooLarge, tooLong.Code);
    }

    private static ClientRequest Parse(string frame) => RequestParser.Parse(Encoding.UTF8.GetBytes(frame));

    private static string? IdJson(RequestId id) => id.Value is { } value ? $"\"{value}\"" : id.RawJson;
}
