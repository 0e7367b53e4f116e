using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansChat.Tests.Browser;

/// <summary>The web chat page in its own browser context, driven through its accessible names.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    public const string Password = "browser password";

    private readonly IBrowserContext _context;

    private ChatPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public ILocator Status => Page.GetByRole(AriaRole.Status);

    public ILocator Log => Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });

    public ILocator Typing => Page.Locator("#typing");

    public static async Task<ChatPage> OpenAsync(BrowserFixture fixture)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.PageUri.ToString());
        return new ChatPage(context, page);
    }

    public async Task RegisterAsync(string username)
    {
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(Status).ToHaveTextAsync("online");
    }

    public async Task LogInAsync(string username)
    {
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(Status).ToHaveTextAsync("online");
    }

    public async Task JoinAsync(string group)
    {
        await Page.GetByLabel("Group", new() { Exact = true }).FillAsync(group);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(Page.Locator($"button.group[data-group=\"{group}\"]")).ToBeVisibleAsync();
    }

    /// <summary>Creates a group with this user as its owner.</summary>
    public async Task CreateAsync(string group, bool isPrivate)
    {
        await Page.GetByLabel("Group", new() { Exact = true }).FillAsync(group);
        await Page.GetByLabel("private").SetCheckedAsync(isPrivate);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(Conversation(group)).ToBeVisibleAsync();
    }

    /// <summary>Opens the direct conversation with a user through the "User" field.</summary>
    public async Task OpenDirectAsync(string user)
    {
        await Page.GetByLabel("User", new() { Exact = true }).FillAsync(user);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Message", Exact = true }).ClickAsync();
    }

    /// <summary>The entry of a group (its name) or of a direct conversation (@ and the other user) in the list.</summary>
    public ILocator Conversation(string key) => Page.Locator($"button.group[data-group=\"{key}\"]");

    public async Task SendAsync(string text)
    {
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(text);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
    }

    /// <summary>The shown messages whose text is exactly <paramref name="text"/>.</summary>
    public ILocator Message(string text) =>
        Log.Locator("[data-seq]").Filter(new() { Has = Page.Locator(".text", new() { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") }) });

    public ILocator PresenceDot(string username, string state) =>
        Page.GetByRole(AriaRole.List, new() { Name = "Members" }).Locator($"li.member[data-user=\"{username}\"]").GetByRole(AriaRole.Img, new() { Name = state, Exact = true });

    public async Task<List<long>> ShownSeqsAsync() =>
        (await Log.Locator("[data-seq]").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.seq)")).Select(long.Parse).ToList();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
