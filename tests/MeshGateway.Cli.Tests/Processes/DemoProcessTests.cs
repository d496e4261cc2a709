using System.Diagnostics;
using System.Net.Security;
using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests.Processes;

/// <summary>
/// <c>meshgw demo</c>, the README's first command, as a real process: it exits 0 after three end-to-end TLS paths
/// through real gateways on loopback; and <c>meshgw run</c> drains and exits 0 on SIGTERM. (In process, the demo is
/// Demo/DemoCommandTests.)
/// </summary>
public class DemoProcessTests
{
    [Fact]
    public async Task Demo_as_a_process_exits_0_after_three_paths_with_the_certificate_unchanged()
    {
        using Process process = MeshgwTool.Start("demo");
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("all 3 paths worked", output, StringComparison.Ordinal);
        Assert.Equal(3, output.Split("unchanged, never decrypted").Length - 1);
    }

    [Fact]
    public async Task Run_with_a_config_forwards_tls_by_sni_until_sigterm_then_drains_and_exits_0()
    {
        const string TrustDomain = "11111111-2222-3333-4444-555555555555.consul";
        const string WebSni = "web.default.dc1.internal." + TrustDomain;
        await using var web = new TlsEchoServer("web", WebSni);
        string file = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-").FullName, "meshgw.json");
        File.WriteAllText(file, $$"""
            { "datacenter": "dc1", "trustDomain": "{{TrustDomain}}", "listeners": [ "127.0.0.1:0" ],
              "services": [ { "name": "web", "endpoints": [ "{{web.EndPoint}}" ] } ] }
            """);
        using Process process = MeshgwTool.Start("run", "--config", file);
        Task<string> errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken)) is not null && !line.StartsWith("listening on", StringComparison.Ordinal))
        {
        }

        Assert.True(line is not null, $"the tool ended before listening; stderr: {(process.HasExited ? await errors : "(still running)")}");
        var gateway = System.Net.IPEndPoint.Parse(line["listening on ".Length..line.IndexOf(": ", StringComparison.Ordinal)]);
        await using (SslStream tls = await TlsClient.ConnectAsync(gateway, WebSni, web.Certificate))
        {
            Assert.Equal("web", await TlsClient.ReadGreetingAsync(tls));
        }

        MeshgwTool.Terminate(process);
        string rest = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        string why = $"stdout after SIGTERM: {rest}\nstderr: {await errors}";
        Assert.True(rest.Contains($"serves {WebSni} -> {web.EndPoint}", StringComparison.Ordinal), why);
        Assert.True(rest.Contains($"sni={WebSni} route={WebSni}", StringComparison.Ordinal), why);
        Assert.True(rest.Contains("stopped", StringComparison.Ordinal), why);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; {why}");
    }
}
