using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using MeshGateway.Testing;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.Cli.Tests.Processes;

/// <summary>
/// The built <c>meshgw gateway</c> as a process at the edge (issue 14): a low descriptor limit, outputs nobody reads,
/// and SNI bytes meant to forge log lines.
/// </summary>
public class GatewayEdgeProcessTests
{
    private const string Sni = "web.default.dc1.internal.td.consul";

    /// <summary>A hang guard for steps that never completed before the fix (not a timing assertion).</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Gateway_under_a_low_descriptor_limit_survives_exhaustion_by_silent_clients_and_serves_again()
    {
        await using var web = new TlsEchoServer("web", Sni);
        using Process gateway = Start(descriptorLimit: 200, "--service", $"web={web.EndPoint}", "--log-level", "warning");
        var stdout = Lines(gateway.StandardOutput);
        Task<string> stderr = gateway.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            IPEndPoint endPoint = ReadyEndPoint(await stdout.Reader.ReadAsync(TestContext.Current.CancellationToken));

            // More silent clients than the limit holds descriptors: the old gateway hit EMFILE and never accepted again.
            var silent = new List<Socket>();
            for (int i = 0; i < 300; i++)
            {
                silent.Add(await Loopback.ConnectAsync(endPoint));
            }

            Task<SslStream> queued = TlsClient.ConnectAsync(endPoint, Sni, web.Certificate);
            foreach (Socket socket in silent)
            {
                socket.Dispose();
            }

            await using (SslStream tls = await queued.WaitAsync(Guard, TestContext.Current.CancellationToken))
            {
                Assert.Equal("web", await TlsClient.ReadGreetingAsync(tls));
                Assert.Equal("ping"u8.ToArray(), await TlsClient.EchoAsync(tls, "ping"u8.ToArray()));
            }

            await using (SslStream again = await TlsClient.ConnectAsync(endPoint, Sni, web.Certificate).WaitAsync(Guard, TestContext.Current.CancellationToken))
            {
                Assert.Equal("web", await TlsClient.ReadGreetingAsync(again));
            }

            List<string> lines = await StopAsync(gateway, stdout);
            Assert.Equal(0, gateway.ExitCode);
            string errors = await stderr;
            Assert.Contains("Connection cap lowered from 10000 to", errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Accept loop", errors, StringComparison.Ordinal);

            // At the cap the listener stops accepting (clients wait in the backlog) instead of accept-then-close.
            Assert.DoesNotContain(lines, l => l.Contains("reason=ConnectionLimit", StringComparison.Ordinal));
            Assert.Equal(2, lines.Count(l => l.Contains($"sni={Sni} ", StringComparison.Ordinal)));
        }
        finally
        {
            MeshgwTool.KillIfRunning(gateway);
        }
    }

    [Fact]
    public async Task Gateway_whose_stdout_and_stderr_are_never_read_still_serves_valid_connections()
    {
        await using var web = new TlsEchoServer("web", Sni);
        using Process gateway = Start(descriptorLimit: null, "--service", $"web={web.EndPoint}", "--log-level", "trace");
        try
        {
            // Only the ready line is read; after that neither pipe is read again (stderr never is).
            string ready = (await gateway.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken))!;
            IPEndPoint endPoint = ReadyEndPoint(ready);

            // Each refused connection writes a close line to stdout and several trace lines to stderr: far more than
            // the two 64 KiB pipes hold, and more than the connection log's queue (4096 lines) on top.
            for (int i = 0; i < 5000; i++)
            {
                using Socket client = await Loopback.ConnectAsync(endPoint);
                await Loopback.SendAllAsync(client, "GET / HTTP/1.0\r\n\r\n"u8.ToArray());
                await Loopback.ReadUntilClosedAsync(client).WaitAsync(Guard, TestContext.Current.CancellationToken);
            }

            for (int i = 0; i < 3; i++)
            {
                await using SslStream tls = await TlsClient.ConnectAsync(endPoint, Sni, web.Certificate).WaitAsync(Guard, TestContext.Current.CancellationToken);
                Assert.Equal("web", await TlsClient.ReadGreetingAsync(tls));
                Assert.Equal("ping"u8.ToArray(), await TlsClient.EchoAsync(tls, "ping"u8.ToArray()));
            }

            MeshgwTool.Terminate(gateway);
            Task<string> rest = gateway.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            Task<string> errors = gateway.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await gateway.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Guard, TestContext.Current.CancellationToken);
            Assert.Equal(0, gateway.ExitCode);
            string output = await rest;
            _ = await errors;
            Assert.Matches(@"(?m)^dropped \d+ connection log lines$", output);
        }
        finally
        {
            MeshgwTool.KillIfRunning(gateway);
        }
    }

    [Fact]
    public async Task Sni_holding_a_line_feed_and_a_forged_close_line_stays_inside_one_quoted_field()
    {
        const string forged = "closed 10.9.8.7:6 sni=x route=FORGED upstream=- reason=ClientClosed";
        using Process gateway = Start(descriptorLimit: null, "--remote-gateway", "dc2=127.0.0.1:9", "--log-level", "information");
        var stdout = Lines(gateway.StandardOutput);
        Task<string> stderr = gateway.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            IPEndPoint endPoint = ReadyEndPoint(await stdout.Reader.ReadAsync(TestContext.Current.CancellationToken));
            byte[] sni = Encoding.ASCII.GetBytes($"a\n{forged} x=\"\\.dc2.internal.td.consul");
            using (Socket client = await Loopback.ConnectAsync(endPoint))
            {
                await Loopback.SendAllAsync(client, ClientHello(sni));
                await Loopback.ReadToEndOrResetAsync(client);
            }

            List<string> lines = await StopAsync(gateway, stdout);
            string errors = await stderr;
            Assert.Equal(0, gateway.ExitCode);
            string closed = Assert.Single(lines, l => l.StartsWith("closed ", StringComparison.Ordinal));
            Assert.StartsWith("closed 127.0.0.1:", closed, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.StartsWith("closed 10.9.8.7", StringComparison.Ordinal));
            Assert.DoesNotContain(errors.Split('\n'), l => l.StartsWith("closed 10.9.8.7", StringComparison.Ordinal) || l.StartsWith(forged, StringComparison.Ordinal));

            // Every field of the close line is one of the logger's keys: nothing the client sent became a field.
            string[] keys = [.. Fields(closed).Skip(2).Select(f => f[..f.IndexOf('=', StringComparison.Ordinal)])];
            Assert.Equal(["sni", "route", "upstream", "reason", "phase", "from_client", "to_client", "duration_ms"], keys);
            string sniField = Fields(closed)[2];
            Assert.True(sniField == "sni=-" || sniField == $"sni=\"a\\x0A{forged} x=\\\"\\\\.dc2.internal.td.consul\"", sniField);
        }
        finally
        {
            MeshgwTool.KillIfRunning(gateway);
        }
    }

    /// <summary>Splits a logfmt line into fields, keeping quoted values (with their escapes) whole.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '\\')
            {
                current.Append(c).Append(line[++i]);
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ' ' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        fields.Add(current.ToString());
        return fields;
    }

    /// <summary>A minimal TLS 1.2 ClientHello whose server_name holds <paramref name="serverName"/> as raw bytes (RFC 6066 §3).</summary>
    private static byte[] ClientHello(byte[] serverName) =>
        ClientHelloBuilder.Build(new HelloModel { CipherSuites = [0xC02F], Extensions = [Ext.ServerName(serverName)] });

    private static Process Start(int? descriptorLimit, params string[] args)
    {
        string[] gatewayArgs = ["gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul", .. args];
        return descriptorLimit is { } limit ? MeshgwTool.StartWithDescriptorLimit(limit, gatewayArgs) : MeshgwTool.Start(gatewayArgs);
    }

    private static Channel<string> Lines(StreamReader reader)
    {
        var lines = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        });
        return lines;
    }

    private static IPEndPoint ReadyEndPoint(string ready)
    {
        Assert.Matches(@"^listening on 127\.0\.0\.1:\d+$", ready);
        return IPEndPoint.Parse(ready["listening on ".Length..]);
    }

    private static async Task<List<string>> StopAsync(Process gateway, Channel<string> stdout)
    {
        MeshgwTool.Terminate(gateway);
        var lines = new List<string>();
        await foreach (string line in stdout.Reader.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(line);
        }

        await gateway.WaitForExitAsync(TestContext.Current.CancellationToken);
        return lines;
    }
}
