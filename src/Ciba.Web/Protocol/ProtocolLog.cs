namespace Ciba.Web.Protocol;

/// <summary>
/// Protocol logs (event ids 3000–3099). Never secrets, tokens, auth_req_id or link keys. Per-request
/// outcomes are Debug: at thousands of requests a second, Information logs would bound throughput.
/// </summary>
public static partial class ProtocolLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Backchannel request accepted for client {ClientId} (expires in {ExpiresIn} s, external link: {External}).")]
    public static partial void BackchannelAccepted(ILogger logger, string clientId, int expiresIn, bool external);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Backchannel request refused for client {ClientId}: {Error}.")]
    public static partial void BackchannelRefused(ILogger logger, string? clientId, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Tokens issued to client {ClientId}.")]
    public static partial void TokensIssued(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Token request of client {ClientId} answered {Error}.")]
    public static partial void TokenRequestAnswered(ILogger logger, string? clientId, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "A protocol endpoint failed; answered server_error.")]
    public static partial void EndpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3060, Level = LogLevel.Debug, Message = "Tokens refreshed for client {ClientId}.")]
    public static partial void TokensRefreshed(ILogger logger, string clientId);

    [LoggerMessage(EventId = 3061, Level = LogLevel.Debug, Message = "Revocation request of client {ClientId} answered.")]
    public static partial void RevocationAnswered(ILogger logger, string clientId);
}
