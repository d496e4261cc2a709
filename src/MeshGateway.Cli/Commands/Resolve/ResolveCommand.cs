using System.CommandLine;
using MeshGateway.Consul.Client;
using MeshGateway.Consul.ConfigEntries;
using MeshGateway.Consul.Registration;
using MeshGateway.Modes;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Cli.Commands.Resolve;

/// <summary>
/// <c>meshgw resolve</c>: Consul's mesh gateway mode decision for one upstream, from flags, from files of config entries
/// and registrations (<c>--entries</c>, HCL or JSON, repeatable), or from a live agent (<c>--consul</c>). Prints
/// <c>{"mode":…,"source":…,"path":…}</c> and exits 0; an invalid mode or input prints the error on stderr and exits 2;
/// an agent that cannot be reached or refuses exits 1 (see docs/modes.md and docs/consul.md).
/// </summary>
internal static class ResolveCommand
{
    /// <summary>What a mode flag accepts, for usage errors.</summary>
    public const string AllowedModes = "expected one of \"\" (default: inherit), \"none\", \"local\", \"remote\" (exact and case-sensitive, as Consul parses them).";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var options = new ResolveOptions();
        var command = new Command(
            "resolve",
            "Resolve the mesh gateway mode of one upstream with Consul's precedence and print "
            + "{\"mode\",\"source\",\"path\"} as JSON. Modes are \"\" (default), none, local or remote, parsed exactly as Consul does.");
        foreach (Option option in options.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult => Run(parseResult, options));
        return command;
    }

    private static int Run(ParseResult parseResult, ResolveOptions options)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        string[] entries = parseResult.GetValue(options.Entries) ?? [];
        string? consul = parseResult.GetValue(options.Consul);

        UpstreamResolutionInput input = default;
        string upstreamName = "";
        int code;
        if (consul is not null)
        {
            code = entries.Length > 0
                ? Usage(error, "--entries and --consul cannot be combined (give the entries in files or read them from the agent)")
                : FromConsul(parseResult, options, consul, error, out input, out upstreamName);
        }
        else if (parseResult.GetValue(options.ConsulToken) is not null)
        {
            code = Usage(error, "--consul-token: only meaningful with --consul");
        }
        else
        {
            bool ok = entries.Length == 0
                ? FromFlags(parseResult, options, error, out input, out upstreamName)
                : FromEntries(parseResult, options, entries, error, out input, out upstreamName);
            code = ok ? 0 : MeshGatewayCli.UsageError;
        }

        if (code != 0)
        {
            return code;
        }

        MeshGatewayResolution result = input.Resolve();
        if (result.NoneOverriddenForPeer)
        {
            // Consul logs this when a peered upstream asks for none (agent/proxycfg).
            string which = upstreamName.Length == 0 ? "" : $" for \"{upstreamName}\"";
            error.WriteLine($"warning: invalid mesh gateway mode 'none', defaulting to 'remote'{which}");
        }

        output.WriteLine(ResolutionJson.Format(result));
        return 0;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine("meshgw resolve: " + message);
        return MeshGatewayCli.UsageError;
    }

    private static bool FromFlags(
        ParseResult parseResult, ResolveOptions options, TextWriter error, out UpstreamResolutionInput input, out string upstreamName)
    {
        input = default;
        upstreamName = "";
        if (parseResult.GetValue(options.Service) is not null)
        {
            error.WriteLine("meshgw resolve: --service needs --entries FILE or --consul URL (without them, give the modes as flags)");
            return false;
        }

        var modes = new MeshGatewayMode[MeshGatewayModeLayers.Count];
        bool valid = true;
        for (int i = 0; i < options.Layers.Length; i++)
        {
            string? text = parseResult.GetValue(options.Layers[i]);
            if (text is not null && !MeshGatewayModeParser.TryParse(text.AsSpan(), out modes[i]))
            {
                // Consul's own message, prefixed with the flag and followed by what is allowed.
                error.WriteLine($"meshgw resolve: {options.Layers[i].Name}: {MeshGatewayModeParser.InvalidModeMessage(text)}; {AllowedModes}");
                valid = false;
            }
        }

        if (!valid)
        {
            return false;
        }

        // An upstream without a datacenter or partition is in the proxy's own (Consul fills them from the proxy).
        string localDatacenter = parseResult.GetValue(options.LocalDatacenter) ?? ConsulModeCatalog.DefaultDatacenter;
        string? localPartition = parseResult.GetValue(options.LocalPartition);
        var layers = new MeshGatewayModeLayers(modes[0], modes[1], modes[2], modes[3], modes[4], modes[5], modes[6]);
        var target = new UpstreamTarget(
            LocalDatacenter: localDatacenter,
            TargetDatacenter: parseResult.GetValue(options.TargetDatacenter) ?? localDatacenter,
            LocalPartition: localPartition,
            TargetPartition: parseResult.GetValue(options.TargetPartition) ?? localPartition,
            Peer: parseResult.GetValue(options.Peer),
            HasExternalSni: parseResult.GetValue(options.External),
            IsPreparedQuery: parseResult.GetValue(options.PreparedQuery));
        input = new UpstreamResolutionInput(layers, target);
        return true;
    }

    private static bool FromEntries(
        ParseResult parseResult, ResolveOptions options, string[] paths, TextWriter error, out UpstreamResolutionInput input, out string upstreamName)
    {
        input = default;
        if (!CheckLookupArguments(parseResult, options, "--entries FILE", error, out string service, out upstreamName))
        {
            return false;
        }

        // The library's reader: each file HCL or JSON, one entry, one registration or the combined form, merged.
        ConsulConfigReadResult read = ConsulConfigReader.ReadFiles(paths);
        return Lookup(parseResult, options, read, service, upstreamName, string.Join(", ", paths), error, out input);
    }

    /// <summary>
    /// Reads the proxy's registration and the config entries from a live agent (MeshGateway.Consul's client: flags win
    /// over <c>CONSUL_*</c>). Usage errors exit 2; an agent that cannot be reached or refuses exits 1.
    /// </summary>
    private static int FromConsul(
        ParseResult parseResult, ResolveOptions options, string address, TextWriter error, out UpstreamResolutionInput input, out string upstreamName)
    {
        input = default;
        if (!CheckLookupArguments(parseResult, options, "--consul URL", error, out string service, out upstreamName))
        {
            return MeshGatewayCli.UsageError;
        }

        var settings = new ConsulClientSettings
        {
            Address = address,
            Token = parseResult.GetValue(options.ConsulToken),
            Datacenter = parseResult.GetValue(options.LocalDatacenter),
            Partition = parseResult.GetValue(options.LocalPartition),
        };
        if (!ConsulClientOptions.TryCreate(settings, null, out ConsulClientOptions? client, out IReadOnlyList<string> problems))
        {
            foreach (string problem in problems)
            {
                error.WriteLine($"meshgw resolve: --consul '{address}': {problem}");
            }

            return MeshGatewayCli.UsageError;
        }

        ConsulConfigReadResult read;
        try
        {
            using var reader = new ConsulModeCatalogReader(client);
            read = reader.ReadAsync(service, upstreamName).GetAwaiter().GetResult();
        }
        catch (ConsulRequestException e)
        {
            error.WriteLine($"meshgw resolve: {e.Message}");
            return 1;
        }

        return Lookup(parseResult, options, read, service, upstreamName, "the Consul agent at " + client.Address, error, out input)
            ? 0
            : MeshGatewayCli.UsageError;
    }

    /// <summary>--entries and --consul need --service and --upstream, and hold the layers and target themselves.</summary>
    private static bool CheckLookupArguments(
        ParseResult parseResult, ResolveOptions options, string source, TextWriter error, out string service, out string upstreamName)
    {
        service = parseResult.GetValue(options.Service) ?? "";
        upstreamName = parseResult.GetValue(options.Layers[0]) ?? "";
        if (service.Length == 0 || upstreamName.Length == 0)
        {
            error.WriteLine($"meshgw resolve: {source} needs --service S and --upstream U");
            return false;
        }

        string[] conflicting = options.FlagsOnly
            .Where(o => parseResult.GetResult(o) is { Implicit: false })
            .Select(o => o.Name)
            .ToArray();
        if (conflicting.Length > 0)
        {
            string flag = source[..source.IndexOf(' ', StringComparison.Ordinal)];
            error.WriteLine($"meshgw resolve: {string.Join(", ", conflicting)} cannot be combined with {flag} (the entries hold those settings)");
            return false;
        }

        return true;
    }

    /// <summary>Every read error (each naming its file, or its request, with line and column when known), else the upstream's input.</summary>
    private static bool Lookup(
        ParseResult parseResult, ResolveOptions options, ConsulConfigReadResult read, string service, string upstreamName, string where,
        TextWriter error, out UpstreamResolutionInput input)
    {
        input = default;
        if (read.Catalog is not { } catalog)
        {
            foreach (ConsulConfigError problem in read.Errors)
            {
                error.WriteLine(problem.ToString());
            }

            return false;
        }

        catalog = catalog.WithLocation(parseResult.GetValue(options.LocalDatacenter), parseResult.GetValue(options.LocalPartition));
        if (!catalog.TryGetUpstreamInput(service, upstreamName, out input, out string? notFound))
        {
            error.WriteLine($"meshgw resolve: {notFound} in {where}");
            return false;
        }

        return true;
    }
}
