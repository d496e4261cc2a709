using System.Diagnostics;
using MeshGateway.Testing;

namespace MeshGateway.ClientHello.Tests.Differential;

/// <summary>What tshark decoded from one stream's ClientHello.</summary>
internal sealed record TsharkHello(string? ServerName, string[] Alpn);

/// <summary>
/// Runs Wireshark's TLS dissector (tshark, installed by .ci/run) over a pcap of many streams and returns, per stream
/// index, the SNI and ALPN it decoded from the first ClientHello. Streams in which it decoded no ClientHello are absent.
/// </summary>
internal static class TsharkDecoder
{
    public static IReadOnlyDictionary<int, TsharkHello> Decode(IReadOnlyList<byte[]> payloads)
    {
        string tshark = ExternalTool.Require("tshark");
        string pcap = Path.Combine(Path.GetTempPath(), $"meshgw-differential-{Environment.ProcessId}-{Guid.NewGuid():N}.pcap");
        try
        {
            PcapWriter.Write(pcap, payloads);
            var start = new ProcessStartInfo(tshark)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[
                "-n", "-r", pcap, "-d", "tcp.port==443,tls", "-Y", "tls.handshake.type == 1",
                "-T", "fields", "-e", "tcp.srcport", "-e", "tls.handshake.extensions_server_name",
                "-e", "tls.handshake.extensions_alpn_str", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"])
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
            Task<string> errors = process.StandardError.ReadToEndAsync();
            var decoded = new Dictionary<int, TsharkHello>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                string[] fields = line.Split('\t');
                int stream = int.Parse(fields[0].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture) - PcapWriter.FirstClientPort;
                if (decoded.ContainsKey(stream))
                {
                    continue; // a later hello in the same stream (tshark decoded trailing bytes): the first one counts
                }

                string? sni = fields.Length > 1 && fields[1].Length > 0 ? fields[1].Split(',')[0] : null;
                string[] alpn = fields.Length > 2 && fields[2].Length > 0 ? fields[2].Split(',') : [];
                decoded[stream] = new TsharkHello(sni, alpn);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"tshark exited {process.ExitCode}: {errors.Result}");
            }

            return decoded;
        }
        finally
        {
            File.Delete(pcap);
        }
    }
}
