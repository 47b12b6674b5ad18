using Ciba.Application.Backchannel.Consent;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Web.Accounts;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Consent;

/// <summary>
/// The pages a person sees after opening a CIBA link on their phone (product.md §5): sign-in if
/// needed, then consent, then a done page. Every decision is re-checked by the command handlers.
/// </summary>
[Route("t/{org}/oauth2/ciba_authorize")]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[FormBodyLimit]
public sealed class ConsentController(IMediator mediator, ConsentScopeWords scopeWords, ConsentStepUp stepUp) : Controller
{
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Reported = "reported";

    [HttpGet("")]
    public async Task<IActionResult> Show(string? authCodeKey, CancellationToken cancellationToken)
    {
        var organization = CurrentOrganization;
        var consent = await mediator.Send(new GetConsentQuery(organization.Id, authCodeKey), cancellationToken);
        if (!consent.IsSuccess)
        {
            return Unavailable(consent.Error.Code);
        }

        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization, authCodeKey!);
        }

        if (user.UserId != consent.Value.UserId)
        {
            return WrongAccount(organization, user, authCodeKey!);
        }

        var details = consent.Value;

        // product.md §16: a session weaker than the request needs gives the missing factor first.
        var strength = await stepUp.CheckAsync(organization, user, details, LinkUrl(organization, authCodeKey!), cancellationToken);
        if (strength.StepUpUrl is { } stepUpUrl)
        {
            return LocalRedirect(stepUpUrl);
        }

        await mediator.Send(new RecordConsentViewedCommand(organization.Id, authCodeKey!, user.UserId), cancellationToken);
        return View("Consent", new ConsentViewModel
        {
            ApplicationName = details.ApplicationName,
            BindingMessage = details.BindingMessage,
            Scopes = await scopeWords.DescribeAsync(organization.Id, details.ApplicationName, details.Scopes, HttpContext.RequestAborted),
            ExpiresIn = ExpiryText.Describe(details.TimeLeft),
            SecondsLeft = (int)Math.Ceiling(details.TimeLeft.TotalSeconds),
            UserName = user.UserName,
            AuthCodeKey = authCodeKey!,
            ApproveUrl = PageUrl(organization, "/approve"),
            DenyUrl = PageUrl(organization, "/deny"),
            ReportUrl = PageUrl(organization, "/report"),
            MatchUrl = PageUrl(organization, "/match"),
            NumberChoices = Domain.Protection.NumberMatch.Applies(details.NumberMatching, details.BindingMessage)
                ? Domain.Protection.NumberMatch.Choices(details.BindingMessage!)
                : null,
            RequestedAt = details.CreatedAt,
            Channels = details.Channels,
            CannotApprove = strength.CannotApprove,
            AccountUrl = AuthenticatorController.PagePath(organization.Handle),
        });
    }

    [HttpPost("approve")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Approve([FromForm] string? authCodeKey, CancellationToken cancellationToken) =>
        DecideAsync(
            authCodeKey,
            Approved,
            (organization, user, key) => new ApproveBackchannelRequestCommand(organization.Id, key, user.UserId, user.AuthenticatedAt)
            {
                AuthenticationMethods = user.AuthenticationMethods,
            },
            cancellationToken);

    [HttpPost("deny")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Deny([FromForm] string? authCodeKey, CancellationToken cancellationToken) =>
        DecideAsync(
            authCodeKey,
            Denied,
            (organization, user, key) => new DenyBackchannelRequestCommand(organization.Id, key, user.UserId),
            cancellationToken);

    /// <summary>product.md §14 "This wasn't me": denies, reports, starts the cooldown and tells the administrators.</summary>
    [HttpPost("report")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Report([FromForm] string? authCodeKey, CancellationToken cancellationToken) =>
        DecideAsync(
            authCodeKey,
            Reported,
            (organization, user, key) => new Application.Backchannel.Report.ReportBackchannelRequestCommand(organization.Id, key, user.UserId),
            cancellationToken);

    /// <summary>product.md §14 number matching: the pick is checked server-side; a wrong or forged one denies and reports.</summary>
    [HttpPost("match")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Match([FromForm] string? authCodeKey, [FromForm] string? chosen, CancellationToken cancellationToken)
    {
        var organization = CurrentOrganization;
        if (string.IsNullOrEmpty(authCodeKey))
        {
            return Unavailable(ErrorCodes.NotFound);
        }

        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization, authCodeKey);
        }

        var result = await mediator.Send(
            new Application.Backchannel.Report.MatchNumberCommand(organization.Id, authCodeKey, user.UserId, user.AuthenticatedAt, chosen)
            {
                AuthenticationMethods = user.AuthenticationMethods,
            },
            cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error.Code == ErrorCodes.StrongerSignInNeeded)
            {
                return Redirect(LinkUrl(organization, authCodeKey));
            }

            return result.Error.Code == ErrorCodes.WrongUser
                ? WrongAccount(organization, user, authCodeKey)
                : Unavailable(result.Error.Code);
        }

        return Redirect(PageUrl(organization, "/done?outcome=" + (result.Value ? Approved : Reported)));
    }

    [HttpGet("done")]
    public IActionResult Done(string? outcome) => outcome switch
    {
        Approved or Denied or Reported => View("Done", new DecisionDoneViewModel { Approved = outcome == Approved, Reported = outcome == Reported }),
        _ => Unavailable(ErrorCodes.NotFound),
    };

    private OrganizationSummary CurrentOrganization => OrganizationRouteMiddleware.Current(HttpContext)!;

    private async Task<IActionResult> DecideAsync(
        string? authCodeKey,
        string outcome,
        Func<OrganizationSummary, SignedInUser, string, IRequest<Result>> command,
        CancellationToken cancellationToken)
    {
        var organization = CurrentOrganization;
        if (string.IsNullOrEmpty(authCodeKey))
        {
            return Unavailable(ErrorCodes.NotFound);
        }

        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization, authCodeKey);
        }

        var result = await mediator.Send(command(organization, user, authCodeKey), cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error.Code == ErrorCodes.StrongerSignInNeeded)
            {
                return Redirect(LinkUrl(organization, authCodeKey));
            }

            return result.Error.Code == ErrorCodes.WrongUser
                ? WrongAccount(organization, user, authCodeKey)
                : Unavailable(result.Error.Code);
        }

        // Post/Redirect/Get: the done page's URL carries no key, so reloading it decides nothing.
        return Redirect(PageUrl(organization, "/done?outcome=" + outcome));
    }

    private ViewResult Unavailable(string errorCode)
    {
        var model = LinkUnavailableViewModel.For(errorCode);
        Response.StatusCode = model.StatusCode;
        return View("Unavailable", model);
    }

    private ViewResult WrongAccount(OrganizationSummary organization, SignedInUser user, string authCodeKey)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("WrongAccount", new WrongAccountViewModel
        {
            UserName = user.UserName,
            SignOutUrl = $"/t/{organization.Handle}/logout",
            ReturnUrl = LinkUrl(organization, authCodeKey),
        });
    }

    private RedirectResult RedirectToSignIn(OrganizationSummary organization, string authCodeKey) =>
        Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString(LinkUrl(organization, authCodeKey))}");

    private static string LinkUrl(OrganizationSummary organization, string authCodeKey) =>
        PageUrl(organization, "?authCodeKey=" + Uri.EscapeDataString(authCodeKey));

    private static string PageUrl(OrganizationSummary organization, string suffix) =>
        $"/t/{organization.Handle}/oauth2/ciba_authorize{suffix}";
}
