using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Accounts;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Console.Organizations;
using Ciba.Application.Console.Users;
using Ciba.Application.Notifications;
using Ciba.Application.Tokens;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Keys;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Notifications.Dispatch;
using Ciba.Infrastructure.Notifications.Senders;
using Ciba.Infrastructure.Outbound;
using Ciba.Application.Notifications.Providers;
using Ciba.Infrastructure.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Retention;
using Ciba.Infrastructure.Seeding;
using Ciba.Infrastructure.Telemetry;
using Ciba.Application.Common.Telemetry;
using Ciba.Infrastructure.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Ciba";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CibaOptions>()
            .Bind(configuration.GetSection(CibaOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.PublicOrigin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/", "Ciba:PublicOrigin must be an absolute URL without a path.")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => CibaDataSource.Create(ConnectionString(provider)));
        services.AddDbContextPool<CibaDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(
                provider.GetRequiredService<OutboxWakeInterceptor>(),
                provider.GetRequiredService<Audit.ConsoleChangeAuditInterceptor>(),
                provider.GetRequiredService<Clients.ApplicationCacheInterceptor>()));
        services.AddSingleton<Audit.ConsoleChangeAuditInterceptor>();

        // ADR 0031: applications in memory, emptied on every change on any node.
        services.AddSingleton<Clients.ApplicationCache>();
        services.AddSingleton<Clients.ApplicationCacheInterceptor>();
        services.AddScoped<Application.Clients.IClientApplications, Clients.CachedClientApplications>();
        // Off (Ciba:ApplicationCache:Enabled=false) behind a pooler that cannot LISTEN: without a listener the cache never serves.
        if (configuration.GetValue("Ciba:ApplicationCache:Enabled", true))
        {
            services.AddHostedService(provider => new Clients.ApplicationChangeListener(
                ConnectionString(provider),
                provider.GetRequiredService<Clients.ApplicationCache>(),
                provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Clients.ApplicationChangeListener>>()));
        }
        services.AddScoped<Application.Audit.IAuditTrail, Audit.AuditTrail>();
        services.AddSingleton<IDatabaseFailures, TransientDatabaseFailures>();
        services.AddScoped<IApplicationDbContext>(provider => provider.GetRequiredService<CibaDbContext>());
        services.AddScoped<IBackchannelGrantStore, BackchannelGrantStore>();
        services.AddScoped<Application.Tokens.IGrantFamilyRevocations, Tokens.GrantFamilyRevocationStore>();
        services.AddScoped<IBackchannelInitiationStore, BackchannelInitiationStore>();
        services.AddScoped<IOrganizationContext, OrganizationContext>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<Application.Accounts.UserCodes.IUserCodes, UserCodes>();
        services.AddMemoryCache();
        services.AddSingleton<IOrganizationLookup, CachedOrganizationLookup>();
        services.AddSingleton<INotificationContentProtector, DataProtectionNotificationContentProtector>();
        services.AddOptions<SigningKeyOptions>().Bind(configuration.GetSection(SigningKeyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SigningKeyOptions>, SigningKeyOptionsValidator>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<ISigningKeyAdministration>(provider => provider.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<ITokenIssuer, JwtTokenIssuer>();
        services.AddSingleton<ITokenReader, JwtTokenReader>();
        services.AddHostedService<SigningKeyRotationService>();

        services.AddMetrics();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName));
        services.AddHostedService<BacklogSampler>();

        services.AddDataProtection()
            .SetApplicationName("Ciba")
            .PersistKeysToDbContext<CibaDbContext>();
        services.AddKeyRingEncryption(configuration);

        services.AddIdentityCore<CibaUser>(options =>
            {
                options.User.RequireUniqueEmail = false;
                // Sign-in throttles by login and address instead (ADR 0012); only an administrator locks.
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = Application.Console.Users.PasswordPolicy.MinLength;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<CibaDbContext>()
            .AddUserStore<OrganizationScopedUserStore>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<CibaUserClaimsPrincipalFactory>();
        services.AddScoped<IAccountSignIn, AccountSignIn>();
        AddPasskeys(services);
        services.AddScoped<Application.Accounts.SecondFactor.ISecondFactorSignIn, SecondFactorSignIn>();
        services.AddScoped<Application.Accounts.SecondFactor.IAuthenticatorApp, AuthenticatorApp>();
        services.AddScoped<Application.Accounts.SignIn.ISignInThrottle, SignInThrottleStore>();
        services.AddScoped<IUserAdministration, UserAdministration>();
        services.AddScoped<Application.Backchannel.Report.IAdministratorContacts, AdministratorContacts>();
        services.AddScoped<Application.Console.Applications.Readiness.IUserReachability, UserReachability>();
        services.AddScoped<IOrganizationProvisioning, OrganizationProvisioning>();

        AddNotificationDelivery(services, configuration);
        AddClientKeys(services);

        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RetentionPurger>();
        services.AddHostedService<RetentionService>();

        services.AddScoped<DemoDataSeeder>();
        services.AddHealthChecks().AddCheck<DatabaseReadinessCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Identity's passkey support (docs/decisions/0030-passkeys.md).</summary>
    private static void AddPasskeys(IServiceCollection services)
    {
        services.AddOptions<IdentityPasskeyOptions>()
            .Configure<IOptions<CibaOptions>>((passkeys, ciba) =>
            {
                passkeys.ResidentKeyRequirement = "required";
                passkeys.UserVerificationRequirement = "required";
                passkeys.ValidateOrigin = context => ValueTask.FromResult(PasskeyOrigins.IsAllowed(context, ciba.Value));
            });
        services.TryAddScoped<IPasskeyHandler<CibaUser>, PasskeyHandler<CibaUser>>();
        services.AddScoped<Application.Accounts.Passkeys.IAccountPasskeys, AccountPasskeys>();
    }

    private static void AddNotificationDelivery(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();

        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<OutboundConnector>();
        services.AddSingleton<ProviderEndpointPolicy>();
        services.AddSingleton<IProviderEndpointPolicy>(provider => provider.GetRequiredService<ProviderEndpointPolicy>());

        // Provider calls go through the outbound-safety connector: checked addresses, no redirects.
        services.AddHttpClient(SendGridEmailSender.HttpClientName, ConfigureProviderClient)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<OutboundConnector>().CreateHandler());
        services.AddHttpClient<VonageSmsSender>(ConfigureProviderClient)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<OutboundConnector>().CreateHandler());
        services.AddSingleton<SendGridEmailSender>();
        services.AddSingleton<DevelopmentInboxSender>();
        services.AddSingleton<ProviderGates>();
        services.AddScoped<INotificationSender, OrganizationNotificationSender>();

        AddCallbacks(services);

        services.AddSingleton<OutboxWakeSignal>();
        services.AddSingleton<OutboxWakeInterceptor>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
    }

    /// <summary>private_key_jwt and signed requests (ADR 0022): the client's keys, their JOSE checks, used jti values.</summary>
    private static void AddClientKeys(IServiceCollection services)
    {
        services.AddHttpClient(Clients.ClientKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<OutboundConnector>().CreateHandler());
        services.AddSingleton<Clients.ClientKeys>();
        services.AddSingleton<Application.Clients.Keys.IClientJwtValidator, Clients.ClientJwtValidator>();
        services.AddScoped<Application.Backchannel.Initiate.ILoginHintTokenReader, Clients.LoginHintTokenReader>();
        services.AddSingleton<Application.Clients.Keys.IUsedJwtIds, Clients.UsedJwtIdStore>();
    }

    // Ping and push (docs/decisions/0024-ping-and-push-callbacks.md): the outbound-safe connector,
    // with Development's loopback exception; the sender bounds each call itself.
    private static void AddCallbacks(IServiceCollection services)
    {
        services.AddSingleton<Callbacks.CallbackEndpointPolicy>();
        services.AddSingleton<Application.Callbacks.ICallbackEndpointPolicy>(provider => provider.GetRequiredService<Callbacks.CallbackEndpointPolicy>());
        services.AddSingleton<Application.Callbacks.ICallbackProtector, Callbacks.DataProtectionCallbackProtector>();
        services.AddHttpClient(Callbacks.ClientNotificationSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var policy = provider.GetRequiredService<Callbacks.CallbackEndpointPolicy>();
                return provider.GetRequiredService<OutboundConnector>().CreateHandler(policy.ConnectionAlsoAllowed);
            });
        services.AddSingleton<Callbacks.ClientNotificationSender>();
        services.AddSingleton<Callbacks.CallbackExpirySweeper>();
        services.AddHostedService<Callbacks.CallbackExpiryService>();
    }

    private static void ConfigureProviderClient(IServiceProvider provider, HttpClient client) =>
        client.Timeout = provider.GetRequiredService<IOptions<NotificationOptions>>().Value.ProviderTimeout;

    // Read when the first context is built, so a host's late configuration (tests) is seen.
    private static string ConnectionString(IServiceProvider provider) =>
        provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set (environment: ConnectionStrings__{ConnectionStringName}).");
}
