using Ciba.Application.Console.Organizations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Ciba.Web.Console;

public static class ConsoleServices
{
    /// <summary>The console's authorization policy, its options and its view folders (<c>Views/Console/…</c>).</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAdministratorRequirement.PolicyName, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new ConsoleAdministratorRequirement()));
        services.AddSingleton<IAuthorizationHandler, ConsoleAdministratorHandler>();
        services.AddOptions<SystemAdministratorOptions>()
            .BindConfiguration(SystemAdministratorOptions.SectionName)
            .Validate(options => !options.Validate().Any(), "Ciba:SystemAdministrators takes user ids (GUIDs) or 'org/*' entries, not user names.")
            .ValidateOnStart();
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.AreaViewLocationFormats.Insert(0, "/Views/{2}/{1}/{0}.cshtml");
            options.AreaViewLocationFormats.Insert(1, "/Views/{2}/Shared/{0}.cshtml");
        });
        return services;
    }
}
