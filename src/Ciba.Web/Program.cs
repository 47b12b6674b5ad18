using Ciba.Application;
using Ciba.Infrastructure;
using Ciba.Infrastructure.Persistence;
using Ciba.Web;
using Ciba.Web.Errors;
using Ciba.Web.Health;
using Ciba.Web.Hosting;
using Ciba.Web.OpenApi;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using Ciba.Web.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddWeb()
    .AddProxyAwareHosting(builder.Configuration)
    .AddCibaTelemetry(builder.Configuration)
    .AddProtocolApiDescription();
Ciba.Web.Protection.RateLimits.AddCibaRateLimits(builder.Services);

var app = builder.Build();

// `Ciba.Web.dll migrate` and `Ciba.Web.dll bootstrap …` do their work and exit (docs/operations.md).
if (OperatorCommands.IsCommand(args))
{
    return await OperatorCommands.RunAsync(args, app.Services, app.Services.MigrateDatabaseAsync, Console.Out, Console.Error);
}

await app.Services.InitializeDatabaseAsync();

app.UseCibaScrapeEndpoint();
app.UseProxyAwareHosting();
app.UseErrorPages();
app.UseMiddleware<Ciba.Web.Audit.AuditSourceMiddleware>();

app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseStaticFiles();
app.UseMiddleware<OrganizationRouteMiddleware>();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealthEndpoints();
app.MapProtocolApiDescription();
app.MapControllers();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
