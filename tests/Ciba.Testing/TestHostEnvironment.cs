using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Ciba.Testing;

/// <summary>A host environment for test containers built without a host (application-layer tests).</summary>
public sealed class TestHostEnvironment(string environmentName = "Testing") : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;

    public string ApplicationName { get; set; } = "Ciba.Tests";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
