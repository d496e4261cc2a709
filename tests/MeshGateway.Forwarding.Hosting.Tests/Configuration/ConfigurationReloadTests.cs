using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MeshGateway.Forwarding.Hosting.Tests.Configuration;

/// <summary>Editing the host's JSON file reroutes live connections atomically; a bad edit keeps the last good routes.</summary>
public class ConfigurationReloadTests
{
    private const string Suffix = "*.dc2.internal.11111111-2222-3333-4444-555555555555.consul";

    private static string Json(EndPoint upstream, string idle = "10s", string cluster = "up") => $$"""
        { "MeshGateway": { "Listeners": [ "127.0.0.1:0" ], "IdleTimeout": "{{idle}}",
            "Routes": [ { "Sni": "{{Suffix}}", "Cluster": "{{cluster}}" } ],
            "Clusters": { "up": { "Endpoints": [ "{{upstream}}" ] } } } }
        """;

    [Fact]
    public async Task Edited_file_reroutes_new_connections_and_a_bad_edit_is_logged_with_every_error_and_ignored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        using Socket second = Loopback.Listen();
        string file = Path.Combine(Directory.CreateTempSubdirectory("meshgw-host-").FullName, "appsettings.json");
        await File.WriteAllTextAsync(file, Json(first.LocalEndPoint!), ct);
        var logs = new FakeLogCollector();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddMeshGatewayListener(builder.Configuration.GetSection("MeshGateway"));
        using IHost host = builder.Build();
        await host.StartAsync(ct);
        IPEndPoint gateway = host.Services.GetRequiredService<MeshGatewayListenerService>().EndPoints[0];
        var root = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();

        await Loopback.AssertRoutedToAsync(gateway, first, ct);

        await File.WriteAllTextAsync(file, Json(second.LocalEndPoint!), ct);
        root.Reload();
        await Loopback.AssertRoutedToAsync(gateway, second, ct);

        await File.WriteAllTextAsync(file, Json(first.LocalEndPoint!, idle: "ten", cluster: "missing"), ct);
        root.Reload();
        // ConfigurationRoot.Reload raises the change token once itself and once per reloaded provider.
        FakeLogRecord[] rejected = [.. logs.GetSnapshot().Where(r => r.Id.Name == "ConfigurationEditRejected")];
        Assert.NotEmpty(rejected);
        Assert.All(rejected, record =>
        {
            Assert.Equal(LogLevel.Error, record.Level);
            Assert.Contains("MeshGateway:IdleTimeout: \"ten\" is not a duration", record.Message, StringComparison.Ordinal);
            Assert.Contains("2 error(s)", record.Message, StringComparison.Ordinal);
        });
        await Loopback.AssertRoutedToAsync(gateway, second, ct);

        await host.StopAsync(ct);
    }
}
