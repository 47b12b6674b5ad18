using Ciba.Application.Common.Options;
using Ciba.Web.Accounts;
using Ciba.Web.Console;
using Ciba.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

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
        services.AddOptions<SignInSessionOptions>().BindConfiguration(SignInSessionOptions.SectionName).ValidateOnStart();
        services.AddScoped<Consent.ConsentScopeWords>();
        services.AddScoped<Consent.ConsentStepUp>();
        services.AddSingleton<IValidateOptions<SignInSessionOptions>, SignInSessionOptionsValidator>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, ConfigureSignInCookie)
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, ConfigureSecondFactorCookie);

        // Behind a TLS-terminating proxy the request scheme says http: the public origin decides (issue 9 item 6).
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<CibaOptions>, IOptions<SignInSessionOptions>>((cookie, ciba, sessions) =>
            {
                cookie.Cookie.SecurePolicy = SecurePolicy(ciba.Value);
                cookie.ExpireTimeSpan = sessions.Value.IdleTimeout;
            });
        AddPasskeyCeremonyCookie(services);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure<IOptions<CibaOptions>>((cookie, ciba) => cookie.Cookie.SecurePolicy = SecurePolicy(ciba.Value));
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<CibaOptions>>((antiforgery, ciba) => antiforgery.Cookie.SecurePolicy = SecurePolicy(ciba.Value));
        services.AddOptions<CookieTempDataProviderOptions>()
            .Configure<IOptions<CibaOptions>>((tempData, ciba) => tempData.Cookie.SecurePolicy = SecurePolicy(ciba.Value));
        return services;
    }

    /// <summary>Always <c>Secure</c> when the public origin is https; otherwise (local http development) as the request.</summary>
    internal static CookieSecurePolicy SecurePolicy(CibaOptions options) =>
        options.PublicOriginUri.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>The passkey ceremony's state between the options and the answer: per organization, HTTP only, five minutes.</summary>
    private static void AddPasskeyCeremonyCookie(IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Application.Accounts.Passkeys.PasskeyCeremony.Scheme, options =>
        {
            options.Cookie.Name = ".ciba.passkey";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.CookieManager = new OrganizationCookieManager();
            options.ExpireTimeSpan = Application.Accounts.Passkeys.PasskeyCeremony.Lifetime;
            options.SlidingExpiration = false;
        });
        services.AddOptions<CookieAuthenticationOptions>(Application.Accounts.Passkeys.PasskeyCeremony.Scheme)
            .Configure<IOptions<CibaOptions>>((cookie, ciba) => cookie.Cookie.SecurePolicy = SecurePolicy(ciba.Value));
    }

    /// <summary>Between the password and the authenticator code (ADR 0029): a few minutes, this organization only.</summary>
    private static void ConfigureSecondFactorCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = ".ciba.second-factor";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.CookieManager = new OrganizationCookieManager();
        options.SlidingExpiration = false;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
    }

    private static void ConfigureSignInCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = ".ciba.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.CookieManager = new OrganizationCookieManager();
        options.SlidingExpiration = true;
        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = SessionValidation.ValidatePrincipalAsync,
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
