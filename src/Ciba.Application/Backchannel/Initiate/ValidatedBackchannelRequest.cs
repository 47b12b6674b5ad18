using Ciba.Application.Clients.Authenticate;
using Ciba.Domain.Applications;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// A backchannel authentication request whose client is authenticated and whose parameters passed
/// every check of CIBA Core §7.1–§7.2 and product.md §3, each parsed once.
/// </summary>
/// <param name="Scope">The distinct scope values, <c>openid</c> first, space-separated.</param>
/// <param name="LoginHint">The hint when the request names the person by <c>login_hint</c>.</param>
/// <param name="IdTokenHint">The hint when the request names the person by <c>id_token_hint</c>.</param>
/// <param name="BindingMessage">The message to show, or null.</param>
/// <param name="ExpiresIn">The request's lifetime: the application's expiry, or the shorter <c>requested_expiry</c>.</param>
/// <param name="NotificationChannel">The channel the client named, if any (already known to be enabled).</param>
public sealed record ValidatedBackchannelRequest(
    AuthenticatedClient Client,
    string Scope,
    string? LoginHint,
    string? IdTokenHint,
    string? BindingMessage,
    int ExpiresIn,
    NotificationChannels? NotificationChannel)
{
    /// <summary>The hint when the request names the person by <c>login_hint_token</c> (product.md §12).</summary>
    public string? LoginHintToken { get; init; }
    /// <summary>The supported <c>acr_values</c> in order of preference (product.md §12, §16).</summary>
    public IReadOnlyList<string> AcrValues { get; init; } = [];
}
