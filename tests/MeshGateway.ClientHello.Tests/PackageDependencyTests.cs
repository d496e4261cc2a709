using System.Reflection;
using MeshGateway.Testing;

namespace MeshGateway.ClientHello.Tests;

public class PackageDependencyTests
{
    [Fact]
    public void Package_references_only_what_the_architecture_allows()
    {
        Assembly assembly = Assembly.Load("MeshGateway.ClientHello");
        Assert.Empty(PackageDependencyRules.ForbiddenReferences(assembly));
    }
}
