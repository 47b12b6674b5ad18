using System.Reflection;
using NetArchTest.Rules;

namespace Ciba.Architecture.Tests;

/// <summary>Dependencies point inward: Web → Application → Domain; Infrastructure → Application.</summary>
public class LayerTests
{
    private static readonly Assembly Domain = typeof(Ciba.Domain.Backchannel.BackchannelAuthenticationRequest).Assembly;
    private static readonly Assembly Application = typeof(Ciba.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Ciba.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Web = typeof(Ciba.Web.DependencyInjection).Assembly;

    [Fact]
    public void Domain_ReferencesNoOtherLayerAndNoFramework()
    {
        AssertNoDependency(Domain, "Ciba.Application", "Ciba.Infrastructure", "Ciba.Web",
            "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MediatR", "FluentValidation", "Npgsql");
    }

    [Fact]
    public void Domain_AssemblyReferencesOnlyTheRuntime()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }

    [Fact]
    public void Application_DoesNotReferenceInfrastructureOrWeb()
    {
        AssertNoDependency(Application, "Ciba.Infrastructure", "Ciba.Web", "Microsoft.AspNetCore", "Npgsql");
    }

    [Fact]
    public void Infrastructure_DoesNotReferenceWeb()
    {
        AssertNoDependency(Infrastructure, "Ciba.Web");
    }

    [Fact]
    public void Web_UsesInfrastructureOnlyInComposition()
    {
        var offenders = Types.InAssembly(Web)
            .That().DoNotHaveName("Program", "DependencyInjection")
            .And().DoNotResideInNamespaceStartingWith("Ciba.Web.Composition")
            .Should().NotHaveDependencyOn("Ciba.Infrastructure")
            .GetResult();

        Assert.True(offenders.IsSuccessful, "Web types that use Infrastructure outside composition: " + string.Join(", ", offenders.FailingTypeNames ?? []));
    }

    private static void AssertNoDependency(Assembly assembly, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{assembly.GetName().Name} depends on one of {string.Join(", ", forbidden)}: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
