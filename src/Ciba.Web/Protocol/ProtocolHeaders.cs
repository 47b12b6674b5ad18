using Microsoft.Net.Http.Headers;

namespace Ciba.Web.Protocol;

public static class ProtocolHeaders
{
    /// <summary>RFC 6749 §5.1, CIBA Core §10.1.1: responses carrying tokens or errors are never cached.</summary>
    public static void NoStore(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers[HeaderNames.Pragma] = "no-cache";
    }
}
