namespace OrleansChat.LoadTest;

internal sealed record FanoutOptions(
    IReadOnlyList<Uri> Servers,
    int Sockets,
    int Groups,
    int PublishersPerGroup,
    double RatePerPublisher,
    TimeSpan Duration,
    TimeSpan Warmup,
    int MessageSize,
    int SocketsPerUser,
    int ConnectRate,
    int? ServerPid,
    double? LowerRate = null,
    TimeSpan LowerDuration = default,
    bool Direct = false);
