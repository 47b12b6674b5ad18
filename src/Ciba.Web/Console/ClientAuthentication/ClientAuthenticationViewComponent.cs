using Ciba.Application.Console.Applications.UpdateClientAuthentication;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.ClientAuthentication;

/// <summary>Shows the client authentication block on the Protocol tab, with the application's current values.</summary>
public sealed class ClientAuthenticationViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid applicationId)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var details = await mediator.Send(new GetClientAuthenticationQuery(organization.Id, applicationId), HttpContext.RequestAborted);
        return details.IsSuccess ? View("~/Views/Console/ClientAuthentication/_Form.cshtml", ClientAuthenticationViewModel.From(details.Value)) : Content(string.Empty);
    }
}
