using Ciba.Application;
using Ciba.Infrastructure;
using Ciba.Infrastructure.Persistence;
using Ciba.Web;
using Ciba.Web.Errors;
using Ciba.Web.Health;
using Ciba.Web.Organizations;
using Ciba.Web.Security;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddWeb();

var app = builder.Build();

await app.Services.InitializeDatabaseAsync();

app.UseErrorPages();

app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseStaticFiles();
app.UseMiddleware<OrganizationRouteMiddleware>();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthEndpoints();
app.MapControllers();

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
