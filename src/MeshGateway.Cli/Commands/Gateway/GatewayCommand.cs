using System.CommandLine;
using System.Runtime.InteropServices;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// <c>meshgw gateway --listen HOST:PORT --datacenter D [--partition P] (--trust-domain T | --consul URL [--consul-token TOKEN]
/// [--register [--register-name N] [--register-address A] [--register-wan-address HOST[:PORT]]])
/// [--service NAME=ENDPOINTS]... [--service-sni SNI=ENDPOINTS]... [--remote-gateway DC[/PARTITION]=ENDPOINTS]...
/// [--pump auto|copy|splice] [--no-connection-log] [--log-level LEVEL]</c>:
/// a Consul-style mesh gateway in the foreground until SIGINT/SIGTERM, then a drain. Prints
/// <c>listening on HOST:PORT</c> when ready and one line per closed connection with its reason.
/// The flags map onto <see cref="MeshGatewayOptions"/> and are composed by <see cref="MeshGatewayComposer"/>, as
/// <c>meshgw run</c>'s file is, and run on the same <see cref="GatewayRunner"/>.
/// With <c>--consul</c> the routes follow the agent live (<see cref="ConsulGatewaySource"/>); the static flags add to
/// them and win on a conflict; <c>--register</c> registers the gateway with the agent (<see cref="ConsulSelfRegistration"/>). Diagnostics go to stderr at <c>--log-level</c> (default information). Usage errors (every one listed) exit 2; a
/// listen address that cannot be bound, or a listener that dies, exits 1.
/// </summary>
internal static class GatewayCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address to listen on, HOST:PORT (port 0 picks a free one).", Required = true };
        var datacenter = new Option<string>("--datacenter") { Description = "This gateway's datacenter.", Required = true };
        var partition = new Option<string>("--partition") { Description = "This gateway's admin partition (default: default)." };
        var trustDomain = new Option<string>("--trust-domain") { Description = "The mesh trust domain, <cluster-id>.consul (required without --consul, which reads it from the agent)." };
        var consul = new Option<string>("--consul")
        {
            Description = "Follow this Consul agent's HTTP API (http(s)://host:port or host:port; default CONSUL_HTTP_ADDR) for local services and other datacenters' gateways.",
        };
        var consulToken = new Option<string>("--consul-token") { Description = "The Consul ACL token (default CONSUL_HTTP_TOKEN / CONSUL_HTTP_TOKEN_FILE)." };
        var register = new Option<bool>("--register")
        {
            Description = "With --consul: register this gateway with the agent as kind mesh-gateway (lan/wan tagged addresses, a TCP check) while it runs; deregister on drain.",
        };
        var registerName = new Option<string>("--register-name") { Description = "The registered service name (default mesh-gateway, what other datacenters' gateways query)." };
        var registerAddress = new Option<string>("--register-address") { Description = "The registered (lan) address (default: the --listen host; required when that is 0.0.0.0 or [::])." };
        var registerWanAddress = new Option<string>("--register-wan-address") { Description = "The wan tagged address other datacenters dial, HOST[:PORT] (default: the registered address and port)." };
        var services = new Option<string[]>("--service")
        {
            Description = "A local service NAME=HOST:PORT,..., served at NAME.default.<D>.internal.<T>. Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var serviceSnis = new Option<string[]>("--service-sni")
        {
            Description = "A local endpoint set under a full SNI, SNI=HOST:PORT,... (subsets, namespaces). Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var remoteGateways = new Option<string[]>("--remote-gateway")
        {
            Description = "A remote datacenter's gateways, DC[/PARTITION]=HOST:PORT,...; serves *.<DC>.internal.<T>. Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var pump = new Option<string>("--pump")
        {
            Description = "How bytes move once streaming: auto (default: copy, and on Linux splice(2) for bulk transfers), copy (userspace loop) or splice (Linux splice(2) always, falls back to copy).",
            DefaultValueFactory = _ => "auto",
        };
        pump.AcceptOnlyFromAmong("auto", "copy", "splice");
        var noConnectionLog = new Option<bool>("--no-connection-log") { Description = "Do not print a line per closed connection (benchmarks)." };
        Option<string> logLevel = Logging.CliLogging.CreateOption();
        var command = new Command("gateway", "Run a mesh gateway: route TLS by SNI to local services and remote datacenters' gateways, without decrypting.")
        {
            listen, datacenter, partition, trustDomain, consul, consulToken, register, registerName, registerAddress, registerWanAddress, services, serviceSnis, remoteGateways, pump, noConnectionLog, logLevel,
        };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            TextWriter error = result.InvocationConfiguration.Error;
            var errors = new List<string>();
            GatewaySettings settings = GatewaySettings.Create(
                result.GetValue(listen)!,
                result.GetValue(datacenter)!,
                result.GetValue(partition),
                result.GetValue(trustDomain),
                result.GetValue(services) ?? [],
                result.GetValue(serviceSnis) ?? [],
                result.GetValue(remoteGateways) ?? [],
                errors);
            string? consulAddress = result.GetValue(consul);
            Consul.Client.ConsulClientOptions? consulOptions = ConsulGatewaySource.CheckFlags(
                consulAddress, result.GetValue(consulToken), settings, errors);
            ConsulSelfRegistration? registration = ConsulSelfRegistration.CheckFlags(
                result.GetValue(register),
                result.GetValue(registerName),
                result.GetValue(registerAddress),
                result.GetValue(registerWanAddress),
                consulAddress is not null,
                settings.Listen,
                errors);
            MeshGatewayConsulOptions? consulSection = consulAddress is null ? null : new MeshGatewayConsulOptions
            {
                Address = consulAddress,
                Token = result.GetValue(consulToken),
                Register = result.GetValue(register) ? new MeshGatewayConsulRegisterOptions
                {
                    Enabled = true,
                    Name = result.GetValue(registerName),
                    Address = result.GetValue(registerAddress),
                    WanAddress = result.GetValue(registerWanAddress),
                } : null,
            };

            // The flags on the library's model, composed as meshgw run composes its file. A flag the checks above already
            // reported is not reported again (its bad entries were left out); what only the whole route table shows (a
            // problem at the list, not at an entry) is always added, under its flag.
            _ = MeshGatewayComposer.TryCompose(settings.ToOptions(consulSection), out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> problems);
            var flagged = new HashSet<string>(errors.Select(FlagOfError), StringComparer.Ordinal);
            bool consulFlagged = flagged.Any(IsConsulFlag);
            foreach (MeshGatewayOptionsProblem problem in problems)
            {
                string flag = settings.FlagOf(problem);
                bool reported = flagged.Contains(flag) || (consulFlagged && IsConsulFlag(flag));
                if ((problem.Path.Count == 1 && problem.Path[0] == nameof(MeshGatewayOptions.Services)) || !reported)
                {
                    errors.Add($"{flag}: {problem.Message}");
                }
            }

            if (errors.Count > 0)
            {
                foreach (string problem in errors)
                {
                    error.WriteLine(problem);
                }

                return MeshGatewayCli.UsageError;
            }

            _ = Logging.CliLogging.TryParse(result.GetValue(logLevel), out Microsoft.Extensions.Logging.LogLevel level);
            using Microsoft.Extensions.Logging.ILoggerFactory loggerFactory = Logging.CliLogging.Create(level);
            using var stopping = new CancellationTokenSource();
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            var run = new GatewayRunOptions
            {
                Pump = result.GetValue(pump) switch
                {
                    "splice" => PumpMode.SpliceWhenPossible,
                    "copy" => PumpMode.Copy,
                    _ => PumpMode.Auto,
                },
                ConnectionLog = !result.GetValue(noConnectionLog),
                LoggerFactory = loggerFactory,
                Describe = false,
            };
            return (consulOptions is not null
                    ? ConsulGatewaySource.RunAsync(consulOptions, composition!, output, error, stopping.Token, run, registration)
                    : GatewayRunner.RunAsync(composition!, output, error, stopping.Token, run))
                .GetAwaiter().GetResult();

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true; // we drain, then exit on our own
                stopping.Cancel();
            }
        });
        return command;
    }

    /// <summary>
    /// The Consul flags are checked together (ConsulGatewaySource, ConsulSelfRegistration) and report some values under
    /// <c>--register</c>; one of their errors stands for all of them.
    /// </summary>
    private static bool IsConsulFlag(string flag) => flag.StartsWith("--consul", StringComparison.Ordinal) || flag.StartsWith("--register", StringComparison.Ordinal);

    /// <summary>The flag a usage error starts with (<c>--service 'x': …</c> or <c>--service: …</c>).</summary>
    private static string FlagOfError(string error)
    {
        int end = error.AsSpan().IndexOfAny(' ', ':');
        return end < 0 ? error : error[..end];
    }
}
