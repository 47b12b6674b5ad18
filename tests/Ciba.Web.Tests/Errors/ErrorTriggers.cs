using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Errors;

/// <summary>The web app plus <see cref="ErrorTriggerController"/>, which fails on purpose the ways a real request can.</summary>
public sealed class ErrorPagesFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddControllers().AddApplicationPart(typeof(ErrorTriggerController).Assembly));
    }
}

/// <summary>Failures on demand, under an organization's pages and under its protocol endpoints.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorTriggerController : Controller
{
    [HttpGet("t/{org}/test-errors/status/{code:int}")]
    public IActionResult EmptyStatus(int code) => StatusCode(code);

    [HttpPost("t/{org}/test-errors/too-large")]
    public IActionResult TooLarge() => throw new BadHttpRequestException("Request body too large: " + Request.ContentLength, StatusCodes.Status413PayloadTooLarge);

    [HttpGet("t/{org}/test-errors/throw")]
    public IActionResult Throw() => throw new InvalidOperationException("secret-detail-of-a-bug at " + Request.Path);

    [HttpGet("t/{org}/oauth2/test-errors/throw")]
    public IActionResult ThrowOnProtocolEndpoint() => throw new InvalidOperationException("secret-detail-of-a-bug at " + Request.Path);

    [HttpGet("t/{org}/oauth2/test-errors/status/{code:int}")]
    public IActionResult EmptyStatusOnProtocolEndpoint(int code) => StatusCode(code);
}
