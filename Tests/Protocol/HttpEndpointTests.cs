using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed partial class HttpEndpointTests(GatewayFixture fixture)
{
    private HttpClient Http => fixture.Host.Http;

    [Fact]
    public async Task Register_Created_WithUserIdAndUsername()
    {
        var username = Unique.Name("Reg");
        var response = await Http.PostAsJsonAsync("/api/register", new { username, password = Chatters.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(username, body.Str("username"));
        Assert.False(string.IsNullOrEmpty(body.Str("userId")));
    }

    [Fact]
    public async Task RegisterTakenNameInOtherCase_Conflict()
    {
        var username = await fixture.Host.RegisterAsync(Unique.Name("dup"));
        var response = await Http.PostAsJsonAsync("/api/register", new { username = username.ToUpperInvariant(), password = Chatters.Password });

        await AssertError(response, HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("""{"username":"ab","password":"long enough"}""")]
    [InlineData("""{"username":"has space","password":"long enough"}""")]
    [InlineData("""{"username":"valid_name","password":"short"}""")]
    [InlineData("""{"username":"valid_name"}""")]
    [InlineData("""{"username":42,"password":"long enough"}""")]
    [InlineData("""not json""")]
    [InlineData("""[1,2]""")]
    public async Task RegisterInvalid_BadRequest(string body)
    {
        var response = await Http.PostAsync("/api/register", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertError(response, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task RegisterWithHugeBody_BadRequest()
    {
        var body = $$"""{"username":"big_body","password":"{{new string('p', 100_000)}}"}""";
        var response = await Http.PostAsync("/api/register", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertError(response, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task LoginIgnoringCase_AnswersWithRegisteredSpellingAndToken()
    {
        var username = await fixture.Host.RegisterAsync(Unique.Name("MiXeD"));
        var response = await Http.PostAsJsonAsync("/api/login", new { username = username.ToLowerInvariant(), password = Chatters.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(username, body.Str("username"));
        Assert.False(string.IsNullOrEmpty(body.Str("token")));
        Assert.Matches(TimestampFormat(), body.Str("expiresAt"));
        var expiresAt = DateTime.Parse(body.Str("expiresAt"), null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(expiresAt - DateTime.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(25));
    }

    [Fact]
    public async Task LoginWrongPassword_Unauthorized()
    {
        var username = await fixture.Host.RegisterAsync();
        var response = await Http.PostAsJsonAsync("/api/login", new { username, password = "wrong password" });

        await AssertError(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task LoginUnknownUser_Unauthorized()
    {
        var response = await Http.PostAsJsonAsync("/api/login", new { username = Unique.Name("ghost"), password = Chatters.Password });

        await AssertError(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task LoginInvalidBody_BadRequest()
    {
        var response = await Http.PostAsync("/api/login", new StringContent("{", Encoding.UTF8, "application/json"));

        await AssertError(response, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task HealthAndReadiness_Ok()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task UnknownPath_NotFoundWithErrorBody()
    {
        var response = await Http.GetAsync("/no/such/thing");

        await AssertError(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task KnownPathWrongMethod_MethodNotAllowedWithErrorBody()
    {
        var response = await Http.GetAsync("/api/register");

        await AssertError(response, HttpStatusCode.MethodNotAllowed, "bad_request");
    }

    [Fact]
    public async Task Root_ServesPageLinkingProtocol()
    {
        var page = await Http.GetStringAsync("/");
        Assert.Contains("OrleansChat", page);
        Assert.Contains("/protocol.md", page);

        var protocol = await Http.GetStringAsync("/protocol.md");
        Assert.Contains("/ws", protocol);
    }

    [Fact]
    public async Task WebSocketPathWithoutUpgrade_BadRequest()
    {
        var response = await Http.GetAsync("/ws");

        await AssertError(response, HttpStatusCode.BadRequest, "bad_request");
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.Str("code"));
        Assert.False(string.IsNullOrEmpty(body.Str("message")));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    internal static partial Regex TimestampFormat();
}
