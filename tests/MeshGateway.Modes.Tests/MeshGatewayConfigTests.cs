namespace MeshGateway.Modes.Tests;

public class MeshGatewayConfigTests
{
    public static TheoryData<MeshGatewayMode, MeshGatewayMode, MeshGatewayMode> OverlayTable()
    {
        // Consul's OverlayWith: base ⊕ overlay = overlay iff overlay is not "" (spec §3.1).
        var data = new TheoryData<MeshGatewayMode, MeshGatewayMode, MeshGatewayMode>();
        MeshGatewayMode[] all = [MeshGatewayMode.Default, MeshGatewayMode.None, MeshGatewayMode.Local, MeshGatewayMode.Remote];
        foreach (MeshGatewayMode b in all)
        {
            data.Add(b, MeshGatewayMode.Default, b);
            data.Add(b, MeshGatewayMode.None, MeshGatewayMode.None);
            data.Add(b, MeshGatewayMode.Local, MeshGatewayMode.Local);
            data.Add(b, MeshGatewayMode.Remote, MeshGatewayMode.Remote);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OverlayTable))]
    public void Overlay_wins_iff_it_is_not_default(MeshGatewayMode baseMode, MeshGatewayMode overlay, MeshGatewayMode expected)
    {
        Assert.Equal(expected, baseMode.OverlayWith(overlay));
        Assert.Equal(new MeshGatewayConfig(expected), new MeshGatewayConfig(baseMode).OverlayWith(new MeshGatewayConfig(overlay)));
    }

    [FsCheck.Xunit.Property]
    public bool OverlayWith_matches_the_table(MeshGatewayMode baseMode, MeshGatewayMode overlay) =>
        baseMode.OverlayWith(overlay) == (overlay != MeshGatewayMode.Default ? overlay : baseMode)
        && new MeshGatewayConfig(baseMode).OverlayWith(new MeshGatewayConfig(overlay)).Mode == baseMode.OverlayWith(overlay);

    [FsCheck.Xunit.Property]
    public bool OverlayWith_is_associative_with_default_as_identity(MeshGatewayMode a, MeshGatewayMode b, MeshGatewayMode c) =>
        a.OverlayWith(b).OverlayWith(c) == a.OverlayWith(b.OverlayWith(c))
        && a.OverlayWith(MeshGatewayMode.Default) == a
        && MeshGatewayMode.Default.OverlayWith(a) == a;

    [Fact]
    public void IsZero_iff_mode_is_default()
    {
        Assert.True(default(MeshGatewayConfig).IsZero);
        Assert.True(new MeshGatewayConfig(MeshGatewayMode.Default).IsZero);
        Assert.False(new MeshGatewayConfig(MeshGatewayMode.None).IsZero);
    }
}
