using System.CommandLine;
using System.Text.Json;
using OrleansChat.LoadTest;

var url = new Option<string>("--url") { Description = "Server address; several, comma-separated, share the sockets round-robin", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
var sockets = new Option<int>("--sockets") { Description = "Sockets to open", DefaultValueFactory = _ => 200 };
var groups = new Option<int>("--groups") { Description = "Groups the sockets spread over", DefaultValueFactory = _ => 4 };
var publishers = new Option<int>("--publishers-per-group") { Description = "Publishing sockets per group", DefaultValueFactory = _ => 1 };
var rate = new Option<double>("--rate") { Description = "Messages per second per publisher (open loop)", DefaultValueFactory = _ => 10 };
var duration = new Option<double>("--duration") { Description = "Seconds measured", DefaultValueFactory = _ => 10 };
var warmup = new Option<double>("--warmup") { Description = "Seconds published before measuring", DefaultValueFactory = _ => 3 };
var size = new Option<int>("--message-size") { Description = "Text length in characters", DefaultValueFactory = _ => 100 };
var perUser = new Option<int>("--sockets-per-user") { Description = "Sockets sharing one account", DefaultValueFactory = _ => 4 };
var connectRate = new Option<int>("--connect-rate") { Description = "New sockets per second", DefaultValueFactory = _ => 500 };
var serverPid = new Option<int?>("--server-pid") { Description = "Server process to read memory and CPU of (/proc)" };
var lowerRate = new Option<double?>("--lower-rate") { Description = "After measuring, publish at this rate per publisher (to measure how latency recovers)" };
var lowerDuration = new Option<double>("--lower-duration") { Description = "Seconds published at the lower rate", DefaultValueFactory = _ => 6 };
var hold = new Option<double>("--hold") { Description = "Seconds to hold the sockets before reading memory", DefaultValueFactory = _ => 3 };

var direct = new Option<bool>("--direct") { Description = "Users in pairs writing direct messages to each other instead of groups (--groups is ignored; the first socket of each user publishes)" };
var fanout = new Command("fanout", "Publish into groups (or direct conversations) and measure delivery") { url, sockets, groups, publishers, rate, duration, warmup, size, perUser, connectRate, serverPid, lowerRate, lowerDuration, direct };
fanout.SetAction(async (parse, cancellationToken) =>
{
    var options = new FanoutOptions(
        Servers(parse.GetValue(url)!), parse.GetValue(sockets), parse.GetValue(groups), parse.GetValue(publishers), parse.GetValue(rate),
        TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(size),
        parse.GetValue(perUser), parse.GetValue(connectRate), parse.GetValue(serverPid), parse.GetValue(lowerRate), TimeSpan.FromSeconds(parse.GetValue(lowerDuration)),
        parse.GetValue(direct));
    Print(await new FanoutRun(options).RunAsync(cancellationToken));
});

var connections = new Command("connections", "Hold idle authenticated sockets and measure connect rate and memory") { url, sockets, groups, perUser, connectRate, serverPid, hold };
connections.SetAction(async (parse, cancellationToken) => Print(await new ConnectionsRun(
    Servers(parse.GetValue(url)!), parse.GetValue(sockets), parse.GetValue(groups), parse.GetValue(perUser), parse.GetValue(connectRate),
    TimeSpan.FromSeconds(parse.GetValue(hold)), parse.GetValue(serverPid)).RunAsync(cancellationToken)));

var users = new Option<int>("--users") { Description = "Chatting users, one session at a time each", DefaultValueFactory = _ => 50 };
var seed = new Option<int>("--seed") { Description = "Seed of the random choices", DefaultValueFactory = _ => 1 };
var soak = new Command("soak", "Clients connect, chat, join, leave and drop at random; then every acknowledged message is checked in history") { url, users, groups, duration, hold, serverPid, seed };
soak.SetAction(async (parse, cancellationToken) => Print(await new SoakRun(
    Servers(parse.GetValue(url)!)[0], parse.GetValue(users), parse.GetValue(groups), TimeSpan.FromSeconds(parse.GetValue(duration)),
    TimeSpan.FromSeconds(parse.GetValue(hold)), parse.GetValue(serverPid), parse.GetValue(seed)).RunAsync(cancellationToken)));

var listen = new Option<string>("--urls") { Description = "Where the yardstick listens", DefaultValueFactory = _ => "http://127.0.0.1:5300" };
var yardstick = new Command("yardstick", "Run the bare Kestrel broadcast server the chat server is compared to") { listen };
yardstick.SetAction((parse, cancellationToken) => Yardstick.RunAsync(parse.GetValue(listen)!, cancellationToken));

var root = new RootCommand("OrleansChat load generator and yardstick") { fanout, connections, soak, yardstick };
return await root.Parse(args).InvokeAsync();

static Uri[] Servers(string urls) => [.. urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];

static void Print(object result) => Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
