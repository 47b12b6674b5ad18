using System.Security.Claims;
using Ciba.Application.Accounts;
using Ciba.Web.Accounts;
using Ciba.Web.Console;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddControllersWithViews(options =>
        {
            options.Filters.Add<Errors.StaleFormFilter>();
            options.Filters.Add<Forms.ControlCharacterFilter>();
        });
        services.AddHttpContextAccessor();
        services.AddAuthorization();
        services.AddConsole();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, ConfigureSignInCookie);

        // Identity re-creates the principal when it re-validates the security stamp; keep the
        // original moment of authentication (auth_time), not the refresh time.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            var authenticatedAt = context.CurrentPrincipal?.FindFirst(CibaClaimTypes.AuthenticatedAt);
            if (authenticatedAt is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity)
            {
                identity.RemoveClaim(identity.FindFirst(CibaClaimTypes.AuthenticatedAt));
                identity.AddClaim(new Claim(CibaClaimTypes.AuthenticatedAt, authenticatedAt.Value));
            }

            return Task.CompletedTask;
        });
        return services;
    }

    private static void ConfigureSignInCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = ".ciba.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.CookieManager = new OrganizationCookieManager();
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.Events = new CookieAuthenticationEvents
        {
            OnRedirectToLogin = context => RedirectWithinOrganization(context, "login"),
            OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            },
        };
    }

    private static Task RedirectWithinOrganization(RedirectContext<CookieAuthenticationOptions> context, string page)
    {
        var organization = Organizations.OrganizationRouteMiddleware.Current(context.HttpContext);
        if (organization is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        context.Response.Redirect($"/t/{organization.Handle}/{page}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        return Task.CompletedTask;
    }
}
