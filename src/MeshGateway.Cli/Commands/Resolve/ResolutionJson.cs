using MeshGateway.Modes;

namespace MeshGateway.Cli.Commands.Resolve;

/// <summary>The verb's output: one JSON object with exactly the keys <c>mode</c>, <c>source</c> and <c>path</c>.</summary>
internal static class ResolutionJson
{
    public static string Format(MeshGatewayResolution result) =>
        $"{{\"mode\":\"{Mode(result.Mode)}\",\"source\":\"{Source(result.Source)}\",\"path\":\"{Path(result.Path)}\"}}";

    public static string Mode(MeshGatewayMode mode) => mode switch
    {
        MeshGatewayMode.Default => "default",
        _ => MeshGatewayModeParser.ToConsulString(mode),
    };

    public static string Source(MeshGatewayModeSource source) => source switch
    {
        MeshGatewayModeSource.Unset => "unset",
        MeshGatewayModeSource.Upstream => "upstream",
        MeshGatewayModeSource.UpstreamOverride => "upstream-override",
        MeshGatewayModeSource.Proxy => "proxy",
        MeshGatewayModeSource.UpstreamDefaults => "upstream-defaults",
        MeshGatewayModeSource.ServiceDefaults => "service-defaults",
        MeshGatewayModeSource.ProxyDefaults => "proxy-defaults",
        MeshGatewayModeSource.TargetServiceDefaults => "target-service-defaults",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static string Path(DialPath path) => path switch
    {
        DialPath.Direct => "direct",
        DialPath.LocalGateway => "local-gateway",
        DialPath.RemoteGateway => "remote-gateway",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
    };
}
