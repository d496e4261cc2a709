using MeshGateway.Forwarding;
using System.CommandLine;
using System.Runtime.InteropServices;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>
/// <c>meshgw run [--config FILE] [--print-default-config] [--check] [--log-level LEVEL]</c>: runs what a JSON configuration describes (a mesh
/// gateway or a sidecar's upstream listeners; docs/configuration.md) until SIGINT/SIGTERM, then drains. Without
/// <c>--config</c> it runs the embedded default: a mesh gateway for dc1 on 127.0.0.1:8443 with a sample route
/// table. An invalid configuration lists every error with its JSON path and exits 2; a listen address that
/// cannot be bound exits 1.
/// </summary>
internal static class RunCommand
{
    /// <summary>The embedded default configuration's resource name.</summary>
    public const string DefaultConfigResource = "MeshGateway.Cli.Commands.Run.default-config.json";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The JSON configuration file (default: the embedded sample, a dc1 mesh gateway on 127.0.0.1:8443)." };
        var printDefault = new Option<bool>("--print-default-config") { Description = "Print the embedded default configuration and exit." };
        var check = new Option<bool>("--check") { Description = "Validate the configuration, print what it would serve, and exit." };
        Option<string> logLevel = Logging.CliLogging.CreateOption();
        var command = new Command("run", "Run a mesh gateway or upstream listeners from one JSON configuration file, until SIGINT/SIGTERM, then drain.")
        {
            config, printDefault, check, logLevel,
        };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            TextWriter error = result.InvocationConfiguration.Error;
            if (result.GetValue(printDefault))
            {
                output.Write(ReadDefault());
                return 0;
            }

            FileInfo? file = result.GetValue(config);
            string json;
            try
            {
                json = file is null ? ReadDefault() : File.ReadAllText(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cannot read {file!.FullName}: {e.Message}");
                return MeshGatewayCli.UsageError;
            }

            var errors = new List<string>();
            var warnings = new List<string>();
            MeshGatewayComposition? composition = RunConfigFile.Compose(json, file?.DirectoryName, errors, warnings, out RunConsulPlan? consul);
            if (composition is null)
            {
                error.WriteLine($"{file?.FullName ?? "the embedded default configuration"}: {errors.Count} error(s)");
                foreach (string problem in errors)
                {
                    error.WriteLine($"  {problem}");
                }

                return MeshGatewayCli.UsageError;
            }

            foreach (string warning in warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            output.WriteLine($"configuration: {file?.FullName ?? "embedded default"} ({composition.Options.Mode}, datacenter {composition.Options.Datacenter})");
            if (result.GetValue(check))
            {
                foreach (ListenerPlan listener in composition.Listeners)
                {
                    output.WriteLine($"would listen on {listener.EndPoint}: {listener.Description}");
                }

                // What it would serve (the lines a running gateway prints at start): docs/configuration.md promises it.
                foreach (string route in composition.Routes)
                {
                    output.WriteLine($"  {route}");
                }

                if (consul is not null)
                {
                    output.WriteLine($"would follow the Consul agent at {consul.Client.Address} (trust domain {composition.Options.TrustDomain ?? "from its CA roots"}), the file's {composition.Options.Services.Count} service(s) and {composition.Options.RemoteGateways.Count} remote gateway(s) added and winning on a conflict");
                    if (composition.Options.Consul!.Register is { Enabled: true } register)
                    {
                        output.WriteLine($"would register as {register.Name ?? "mesh-gateway"} (kind mesh-gateway) once listening, and deregister on drain");
                    }
                }

                return 0;
            }

            _ = Logging.CliLogging.TryParse(result.GetValue(logLevel), out Microsoft.Extensions.Logging.LogLevel level);
            using Microsoft.Extensions.Logging.ILoggerFactory loggerFactory = Logging.CliLogging.Create(level);
            using var stopping = new CancellationTokenSource();
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            var run = new Gateway.GatewayRunOptions { LoggerFactory = loggerFactory };
            return (consul is not null
                    ? Gateway.ConsulGatewaySource.RunAsync(consul.Client, composition, output, error, stopping.Token, run, consul.Registration)
                    : Gateway.GatewayRunner.RunAsync(composition, output, error, stopping.Token, run))
                .GetAwaiter().GetResult();

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true; // we drain, then exit on our own
                stopping.Cancel();
            }
        });
        return command;
    }

    /// <summary>The embedded default configuration's text.</summary>
    public static string ReadDefault()
    {
        using Stream stream = typeof(RunCommand).Assembly.GetManifestResourceStream(DefaultConfigResource)
            ?? throw new InvalidOperationException($"The resource {DefaultConfigResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
