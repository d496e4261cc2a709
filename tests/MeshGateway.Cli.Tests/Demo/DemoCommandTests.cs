namespace MeshGateway.Cli.Tests.Demo;

/// <summary><c>meshgw demo</c> in process: three working paths, each with its mode, deciding layer, hops, bytes and certificate check.</summary>
public class DemoCommandTests
{
    [Fact]
    public void Demo_shows_three_working_paths_and_exits_0()
    {
        var (code, output, error) = CliRunner.Run("demo");

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("mode none: decided by the source service's service-defaults (layer ServiceDefaults); dial path Direct", output, StringComparison.Ordinal);
        Assert.Contains("mode local: decided by the global proxy-defaults (layer ProxyDefaults); dial path LocalGateway", output, StringComparison.Ordinal);
        Assert.Contains("mode remote: decided by the upstream's own config (layer Upstream); dial path RemoteGateway", output, StringComparison.Ordinal);
        Assert.Contains("hops: dc1 client -> dc1 upstream listener [route db/direct] -> db (dc2)", output, StringComparison.Ordinal);
        Assert.Contains("hops: dc1 client -> dc1 upstream listener [route db/local-gateway] -> dc1 mesh gateway", output, StringComparison.Ordinal);
        Assert.Contains("hops: dc1 client -> dc1 upstream listener [route db/remote-gateway] -> dc2 mesh gateway", output, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(output, "unchanged, never decrypted"));
        Assert.Equal(3, CountOf(output, "65536 B payload echoed intact"));
        Assert.Contains("all 3 paths worked", output, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
