using Ciba.Application.Common.Protocol;
using Ciba.Web.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ciba.Web.Forms;

/// <summary>
/// Refuses a console, sign-in or consent request whose query string or form carries a NUL or other
/// control character, or whose form cannot be read, before antiforgery, model binding and any
/// query (issue 9 item 3): the answer is the friendly 400 page. Multi-line form fields may carry
/// TAB, CR and LF; query strings may not. Protocol endpoints read and check their own bodies
/// (<c>ProtocolForm</c>) and are left alone here.
/// </summary>
public sealed class ControlCharacterFilter : IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before every other authorization filter, antiforgery validation included.</summary>
    public int Order => int.MinValue;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var reExecuted = http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;
        if (!reExecuted && !ErrorPages.IsProtocolEndpoint(http.Request.Path) && await IsUnacceptableAsync(http.Request))
        {
            http.Response.Headers.CacheControl = "no-store";
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<bool> IsUnacceptableAsync(HttpRequest request)
    {
        try
        {
            return await HasControlCharactersAsync(request);
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    private static async Task<bool> HasControlCharactersAsync(HttpRequest request)
    {
        foreach (var (name, values) in request.Query)
        {
            if (ControlCharacters.Contains(name) || values.Any(value => ControlCharacters.Contains(value)))
            {
                return true;
            }
        }

        if (!request.HasFormContentType)
        {
            return false;
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        foreach (var (name, values) in form)
        {
            if (ControlCharacters.Contains(name) || values.Any(value => ControlCharacters.ContainsExceptLineBreaks(value)))
            {
                return true;
            }
        }

        return false;
    }
}
