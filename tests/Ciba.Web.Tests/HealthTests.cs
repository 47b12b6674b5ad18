using System.Net;

namespace Ciba.Web.Tests;

public class HealthTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Readyz_WithMigratedDatabase_IsHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_IsHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownOrganization_Is404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/t/no-such-org/oauth2/jwks");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
