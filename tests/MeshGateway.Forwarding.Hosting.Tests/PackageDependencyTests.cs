using System.Reflection;
using MeshGateway.Testing;

namespace MeshGateway.Forwarding.Hosting.Tests;

public class PackageDependencyTests
{
    [Fact]
    public void Package_references_only_what_the_architecture_allows()
    {
        Assembly assembly = typeof(ForwarderConfiguration).Assembly;
        Assert.Empty(PackageDependencyRules.ForbiddenReferences(assembly));
    }
}
