namespace MeshGateway.Modes.Tests.Resolution;

/// <summary>
/// A deliberately naive statement of the rules, written differently from the real resolver: the layers are a
/// list folded bottom-up with OverlayWith ("larger number wins", spec §3.4), and the dial path comes from the
/// §3.5 table read row by row.
/// </summary>
internal static class ReferenceResolver
{
    public static MeshGatewayResolution Resolve(MeshGatewayModeLayers layers, UpstreamTarget target)
    {
        // Lowest precedence first; each later layer overlays the accumulated value.
        var stack = Enum.GetValues<MeshGatewayModeSource>()
            .Where(s => s != MeshGatewayModeSource.Unset)
            .Reverse();
        MeshGatewayMode mode = MeshGatewayMode.Default;
        MeshGatewayModeSource source = MeshGatewayModeSource.Unset;
        foreach (MeshGatewayModeSource layer in stack)
        {
            MeshGatewayMode next = mode.OverlayWith(layers[layer]);
            if (layers[layer] != MeshGatewayMode.Default)
            {
                source = layer;
            }

            mode = next;
        }

        string localDc = target.LocalDatacenter ?? "";
        string targetDc = string.IsNullOrEmpty(target.TargetDatacenter) ? localDc : target.TargetDatacenter;
        string localPartition = string.IsNullOrEmpty(target.LocalPartition) ? "default" : target.LocalPartition;
        string targetPartition = string.IsNullOrEmpty(target.TargetPartition) ? "default" : target.TargetPartition;
        bool peered = !string.IsNullOrEmpty(target.Peer);

        DialPath path;
        bool noneOverridden = false;
        if (target.HasExternalSni || target.IsPreparedQuery)
        {
            path = DialPath.Direct;
        }
        else if (peered)
        {
            path = mode switch
            {
                MeshGatewayMode.Local => DialPath.LocalGateway,
                _ => DialPath.RemoteGateway,
            };
            noneOverridden = mode == MeshGatewayMode.None;
        }
        else if (localDc == targetDc && localPartition == targetPartition)
        {
            path = DialPath.Direct;
        }
        else
        {
            path = mode == MeshGatewayMode.Local ? DialPath.LocalGateway
                : mode == MeshGatewayMode.Remote ? DialPath.RemoteGateway
                : DialPath.Direct;
        }

        return new MeshGatewayResolution(mode, source, path, noneOverridden);
    }
}
