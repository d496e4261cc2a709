using System.CommandLine;
using System.Runtime.InteropServices;
using MeshGateway.Forwarding;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// <c>meshgw gateway --listen HOST:PORT --datacenter D [--partition P] (--trust-domain T | --consul URL [--consul-token TOKEN]
/// [--register [--register-name N] [--register-address A] [--register-wan-address HOST[:PORT]]])
/// [--service NAME[=ENDPOINTS]]... [--service-sni SNI=ENDPOINTS]... [--remote-gateway DC[/PARTITION]=ENDPOINTS]...
/// [--pump copy|splice] [--no-connection-log] [--log-level LEVEL]</c>:
/// a Consul-style mesh gateway in the foreground until SIGINT/SIGTERM, then a drain. Prints
/// <c>listening on HOST:PORT</c> when ready and one line per closed connection with its reason.
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
            Description = "A local service NAME[=HOST:PORT,...], served at NAME.default.<D>.internal.<T>. Repeatable.",
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
            Description = "How bytes move once streaming: copy (userspace loop, default) or splice (Linux splice(2), falls back to copy).",
            DefaultValueFactory = _ => "copy",
        };
        pump.AcceptOnlyFromAmong("copy", "splice");
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
            MeshGatewayRouteResolver? router = null;
            try
            {
                // Names were checked per flag above; the router adds only what needs the whole table (duplicates).
                router = errors.Count == 0 && consulOptions is null ? settings.BuildRouter() : null;
            }
            catch (SniRouteTableException e)
            {
                errors.AddRange(e.Errors);
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
            PumpMode pumpMode = result.GetValue(pump) == "splice" ? PumpMode.SpliceWhenPossible : PumpMode.Copy;
            bool connectionLog = !result.GetValue(noConnectionLog);
            if (consulOptions is not null)
            {
                return ConsulGatewaySource.RunAsync(consulOptions, settings, output, error, stopping.Token, pumpMode, connectionLog, loggerFactory, registration)
                    .GetAwaiter().GetResult();
            }

            return GatewayRunner.RunAsync(settings, router!, output, error, stopping.Token, pumpMode, connectionLog, loggerFactory)
                .GetAwaiter().GetResult();

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true; // we drain, then exit on our own
                stopping.Cancel();
            }
        });
        return command;
    }
}
