using Ciba.Web.Accounts;
using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Ciba.Web.Errors;

/// <summary>
/// A form whose antiforgery token no longer fits (the session ended or changed while the page was
/// open) gets a page that says so and links to the page the form came from, instead of a bare 400
/// (issue 9 item 14). Nothing the form asked for was done.
/// </summary>
public sealed class StaleFormFilter(IActionDescriptorCollectionProvider actions, IModelMetadataProvider metadata) : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is not IAntiforgeryValidationFailedResult)
        {
            return;
        }

        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.Result = new ViewResult
        {
            ViewName = "~/Views/Errors/StaleForm.cshtml",
            StatusCode = StatusCodes.Status400BadRequest,
            ViewData = new ViewDataDictionary<string>(metadata, context.ModelState) { Model = ReloadUrl(context) },
        };
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    /// <summary>
    /// The page the form was on: the GET page at the form's own address, or else at its parent
    /// (<c>…/approve</c> → the consent page), with the posted fields that page reads from its query
    /// (<c>authCodeKey</c>, <c>returnUrl</c>) carried over; failing both, the organization's console.
    /// </summary>
    private string ReloadUrl(ResultExecutingContext context)
    {
        var request = context.HttpContext.Request;
        var template = context.ActionDescriptor.AttributeRouteInfo?.Template;
        var path = request.Path.Value ?? "/";
        foreach (var (candidateTemplate, candidatePath) in new[] { (template, path), (Parent(template), Parent(path)) })
        {
            if (candidateTemplate is null || candidatePath is null || FindGetPage(candidateTemplate) is not { } page)
            {
                continue;
            }

            var query = QueryString.Empty;
            foreach (var parameter in page.Parameters.Where(p => p.ParameterType == typeof(string)))
            {
                if (request.HasFormContentType && request.Form.TryGetValue(parameter.Name, out var value) && value.Count == 1 && !string.IsNullOrEmpty(value[0]))
                {
                    query = query.Add(parameter.Name, value[0]!);
                }
            }

            return request.PathBase + candidatePath + query;
        }

        var organization = OrganizationRouteMiddleware.Current(context.HttpContext);
        return organization is null ? "/" : AccountController.SafeReturnUrl(organization.Handle, request.HasFormContentType ? request.Form["returnUrl"] : default(string));
    }

    private Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor? FindGetPage(string template) =>
        actions.ActionDescriptors.Items.FirstOrDefault(action =>
            string.Equals(action.AttributeRouteInfo?.Template, template, StringComparison.OrdinalIgnoreCase)
            && action.ActionConstraints?.OfType<Microsoft.AspNetCore.Mvc.ActionConstraints.HttpMethodActionConstraint>()
                .Any(c => c.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)) == true);

    private static string? Parent(string? pathOrTemplate)
    {
        var end = pathOrTemplate?.TrimEnd('/').LastIndexOf('/') ?? -1;
        return end > 0 ? pathOrTemplate![..end] : null;
    }
}
