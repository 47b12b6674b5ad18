using Ciba.Application.Common.Options;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Where a passkey answer may come from: a page of the configured public origin, or of the origin
/// the request itself was made to (scheme and host, after trusted proxies), and never from a frame
/// of another site. The relying party id is the request's host (docs/decisions/0030-passkeys.md).
/// </summary>
public static class PasskeyOrigins
{
    public static bool IsAllowed(PasskeyOriginValidationContext context, CibaOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.CrossOrigin || string.IsNullOrEmpty(context.Origin))
        {
            return false;
        }

        var request = context.HttpContext.Request;
        var requestOrigin = $"{request.Scheme}://{request.Host.Value}";
        var publicOrigin = options.PublicOriginUri.GetLeftPart(UriPartial.Authority);
        return string.Equals(context.Origin, publicOrigin, StringComparison.OrdinalIgnoreCase)
            || string.Equals(context.Origin, requestOrigin, StringComparison.OrdinalIgnoreCase);
    }
}
