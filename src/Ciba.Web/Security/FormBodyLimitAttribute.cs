using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ciba.Web.Security;

/// <summary>
/// Caps the body of an anonymous form as the protocol endpoints are capped (issue 9 item 15):
/// more than <see cref="ProtocolForm.MaxBodyBytes"/> is a 413 (shown as the friendly error page),
/// decided before antiforgery or model binding read the form. The body is read into memory up to
/// the cap, so a chunked body without a length is held to it too.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class FormBodyLimitAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public const int MaxBodyBytes = ProtocolForm.MaxBodyBytes;

    /// <summary>Before every other authorization filter, antiforgery among them.</summary>
    public int Order => int.MinValue;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
            return;
        }

        if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                await buffer.DisposeAsync();
                context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
                return;
            }
        }

        buffer.Position = 0;
        request.Body = buffer;
        context.HttpContext.Response.RegisterForDisposeAsync(buffer);
    }
}
