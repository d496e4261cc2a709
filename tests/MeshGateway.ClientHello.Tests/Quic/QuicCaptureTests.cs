using System.Globalization;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>The real Chromium and Firefox captures (and the RFC examples as files) against tshark's values.</summary>
public class QuicCaptureTests
{
    [Theory]
    [MemberData(nameof(QuicCapture.Names), MemberType = typeof(QuicCapture))]
    public void Capture_parses_to_tsharks_sni_alpn_ja3_version_and_dcid(string name)
    {
        QuicCapture capture = QuicCapture.Get(name);
        var state = new QuicInitialParserState(null);
        byte[] buffer = new byte[QuicInitialParserOptions.Default.MaxCryptoBytes];
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        ClientHelloInfo hello = default;
        foreach (byte[] datagram in capture.Datagrams)
        {
            status = QuicInitialParser.Parse(datagram, ref state, buffer, out hello);
            if (status != QuicSniffStatus.NeedMoreData)
            {
                break;
            }
        }

        Assert.Equal(QuicSniffStatus.Done, status);
        Assert.Equal(capture.Sni, hello.GetServerName());
        Assert.Equal(capture.Alpn, hello.GetApplicationProtocols());
        Assert.Equal(capture.Ja3String, hello.GetJa3());
        Assert.Equal(capture.Ja3, hello.GetJa3Hash());
        Assert.Equal(capture.Version, "0x" + state.Version.ToString("x8", CultureInfo.InvariantCulture));
        Assert.Equal(capture.Dcid, Convert.ToHexStringLower(state.DestinationConnectionId));
        Assert.Equal(capture.DatagramsNeeded, state.DatagramsRead);
        Assert.StartsWith("q13d", QuicInitialParser.GetJa4(hello), StringComparison.Ordinal);
        Assert.Equal(hello.GetJa4()![1..], QuicInitialParser.GetJa4(hello)![1..]);
    }

    [Theory]
    [MemberData(nameof(QuicCapture.Names), MemberType = typeof(QuicCapture))]
    public void Capture_without_its_last_needed_datagram_needs_more_data(string name)
    {
        QuicCapture capture = QuicCapture.Get(name);

        QuicOutcome outcome = QuicOutcome.Run(capture.Datagrams.Take(capture.DatagramsNeeded - 1));

        Assert.Equal(QuicSniffStatus.NeedMoreData, outcome.Status);
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public void Browser_hello_spans_two_datagrams_in_the_same_connection(string name)
    {
        QuicCapture capture = QuicCapture.Get(name);

        QuicOutcome outcome = QuicOutcome.Run(capture.Datagrams);

        Assert.Equal(2, capture.DatagramsNeeded);
        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal(0, outcome.Ignored);
    }

    [Fact]
    public void Browser_datagrams_in_reverse_order_still_give_the_hello()
    {
        QuicCapture capture = QuicCapture.Get("chromium");

        QuicOutcome outcome = QuicOutcome.Run(capture.Datagrams.Take(2).Reverse());

        Assert.Equal(capture.Sni, outcome.ServerName);
    }

    [Fact]
    public void Datagrams_of_another_connection_attempt_are_ignored_and_counted()
    {
        QuicCapture chromium = QuicCapture.Get("chromium");
        QuicCapture firefox = QuicCapture.Get("firefox");

        QuicOutcome outcome = QuicOutcome.Run([chromium.Datagrams[0], firefox.Datagrams[0], firefox.Datagrams[1], chromium.Datagrams[1]]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal(chromium.Dcid, outcome.Dcid);
        Assert.Equal(2, outcome.Ignored);
        Assert.Equal(4, outcome.Datagrams);
    }
}
