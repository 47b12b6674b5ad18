using Ciba.Application.Backchannel.Consent;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Ciba.Web.Consent;

/// <summary>
/// On the sign-in page reached from a consent link: which application is asking and the time left
/// (product.md §17), counting down like the consent page. Nothing for any other return address.
/// </summary>
public sealed class RequestTimeLeftViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string? returnUrl)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        var prefix = $"/t/{organization?.Handle}/oauth2/ciba_authorize?";
        if (organization is null || returnUrl is null || !returnUrl.StartsWith(prefix, StringComparison.Ordinal)
            || !QueryHelpers.ParseQuery(returnUrl[(prefix.Length - 1)..]).TryGetValue("authCodeKey", out var key) || key.Count != 1)
        {
            return Content(string.Empty);
        }

        var consent = await mediator.Send(new GetConsentQuery(organization.Id, key[0]), HttpContext.RequestAborted);
        return consent.IsSuccess
            ? View(new RequestTimeLeft(consent.Value.ApplicationName, ExpiryText.Describe(consent.Value.TimeLeft), (int)Math.Ceiling(consent.Value.TimeLeft.TotalSeconds)))
            : Content(string.Empty);
    }
}

public sealed record RequestTimeLeft(string ApplicationName, string ExpiresIn, int SecondsLeft);
