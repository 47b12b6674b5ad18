using System.Reflection;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Behaviours;
using Ciba.Application.Common.Telemetry;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 is wired by hand (docs/decisions/0001-mediatr-5.md): a <see cref="ServiceFactory"/>
    /// over the container, every handler of this assembly, the retry of idempotent reads and the validation behaviour.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = Assembly.GetExecutingAssembly();
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped<
            IPipelineBehavior<Backchannel.Initiate.InitiateBackchannelAuthenticationCommand, Common.Results.Result<Backchannel.Initiate.BackchannelAuthenticationResponse>>,
            Backchannel.Protection.BackchannelRefusalAuditBehaviour>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(IdempotentReadBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddScoped<BackchannelDecisions>();
        services.AddScoped<Tokens.Refresh.RefreshTokens>();
        services.AddScoped<Apis.ApiScopeCatalog>();
        services.AddScoped<Apis.ApiAudiences>();
        services.AddScoped<Callbacks.BackchannelCallbacks>();
        services.AddScoped<Console.Audit.AuditEventReader>();
        services.AddScoped<Backchannel.Protection.BackchannelProtection>();
        services.AddScoped<IClientAuthenticator, ClientAuthenticator>();
        services.AddSingleton<IClientAuthenticationMethod, ClientSecretBasicAuthentication>();
        services.AddSingleton<IClientAuthenticationMethod, ClientSecretPostAuthentication>();
        services.AddScoped<IClientAuthenticationMethod, PrivateKeyJwtAuthentication>();
        services.AddScoped<SignedBackchannelRequest>();
        services.AddScoped<UserCodeCheck>();
        services.AddScoped<LoginHintTokenCheck>();
        services.AddSingleton<CibaMetrics>();
        RegisterHandlers(services, assembly);
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }

    private static void RegisterHandlers(IServiceCollection services, Assembly assembly)
    {
        var handlerInterfaces = new[] { typeof(IRequestHandler<,>), typeof(INotificationHandler<>) };
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
        {
            foreach (var implemented in type.GetInterfaces().Where(i => i.IsGenericType && handlerInterfaces.Contains(i.GetGenericTypeDefinition())))
            {
                services.AddScoped(implemented, type);
            }
        }
    }
}
