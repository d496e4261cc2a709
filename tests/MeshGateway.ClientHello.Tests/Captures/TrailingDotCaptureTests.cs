using MeshGateway.ClientHello.Tests.Building;

namespace MeshGateway.ClientHello.Tests.Captures;

/// <summary>
/// Chromium and Firefox ESR keep the trailing dot of a fully qualified URL in the SNI (captured by
/// tests/TestData/capture/capture-browser-trailing-dot.sh). The default profile must accept them as sent.
/// </summary>
public class TrailingDotCaptureTests
{
    private const string Expected = "web.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul.";

    public static TheoryData<string> Browsers => new("chromium-trailing-dot", "firefox-esr-trailing-dot");

    [Theory]
    [MemberData(nameof(Browsers))]
    public void Browser_hello_with_a_trailing_dot_parses_under_the_default_strict_profile(string name)
    {
        Capture capture = Capture.Get(name);

        ClientHelloStatus status = ClientHelloParser.Parse(capture.Bytes, ClientHelloParserOptions.Default, out ClientHelloInfo hello, out _, out _);
        using (hello)
        {
            Assert.Equal(ClientHelloStatus.Done, status);
            Assert.Equal(Expected, capture.Sni); // what tshark read: the dot is on the wire
            Assert.Equal(Expected, hello.GetServerName());
            Assert.Equal(ServerNameTraits.TrailingDot, hello.ServerNameTraits);
            Assert.Equal(ClientHelloTolerances.None, hello.Tolerances);
            Assert.True(hello.ServerNameEquals(Expected.AsSpan(0, Expected.Length - 1)));
        }
    }

    [Theory]
    [MemberData(nameof(Browsers))]
    public void Browser_hello_with_a_trailing_dot_is_refused_when_the_options_say_so(string name)
    {
        Capture capture = Capture.Get(name);

        Outcome strict = Parse.OneShot(capture.Bytes, new ClientHelloParserOptions(acceptTrailingDot: false));
        Outcome lenient = Parse.OneShot(capture.Bytes, new ClientHelloParserOptions(ClientHelloProfile.Lenient, acceptTrailingDot: false));

        Assert.Equal(ClientHelloStatus.Malformed, strict.Status);
        Assert.Equal(ClientHelloMalformedReason.HostNameTrailingDot, strict.Reason);
        Assert.Equal(ClientHelloStatus.Done, lenient.Status);
        Assert.Equal(ClientHelloTolerances.HostNameTrailingDot, lenient.Tolerances);
        Assert.Equal(Expected, lenient.ServerName);
    }

    [Fact]
    public void Trailing_dots_are_accepted_unless_the_options_refuse_them()
    {
        Assert.True(ClientHelloParserOptions.Default.AcceptTrailingDot);
        Assert.True(ClientHelloParserOptions.Lenient.AcceptTrailingDot);
        Assert.False(new ClientHelloParserOptions(acceptTrailingDot: false).AcceptTrailingDot);
    }
}
