using System.CommandLine;
using MeshGateway.Modes;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Cli.Commands.Resolve;

/// <summary>
/// <c>meshgw resolve</c>: Consul's mesh gateway mode decision for one upstream, from flags or from a JSON file of
/// config entries and a registration. Prints <c>{"mode":…,"source":…,"path":…}</c> and exits 0; an invalid mode
/// or input prints the error on stderr and exits 2 (see docs/modes.md).
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
        string? entries = parseResult.GetValue(options.Entries);

        bool ok = entries is null
            ? FromFlags(parseResult, options, error, out UpstreamResolutionInput input, out string upstreamName)
            : FromEntries(parseResult, options, entries, error, out input, out upstreamName);
        if (!ok)
        {
            return MeshGatewayCli.UsageError;
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

    private static bool FromFlags(
        ParseResult parseResult, ResolveOptions options, TextWriter error, out UpstreamResolutionInput input, out string upstreamName)
    {
        input = default;
        upstreamName = "";
        if (parseResult.GetValue(options.Service) is not null)
        {
            error.WriteLine("meshgw resolve: --service needs --entries FILE.json (without it, give the modes as flags)");
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
        ParseResult parseResult, ResolveOptions options, string path, TextWriter error, out UpstreamResolutionInput input, out string upstreamName)
    {
        input = default;
        string? service = parseResult.GetValue(options.Service);
        upstreamName = parseResult.GetValue(options.Layers[0]) ?? "";
        if (service is null || upstreamName.Length == 0)
        {
            error.WriteLine("meshgw resolve: --entries FILE.json needs --service S and --upstream U");
            return false;
        }

        string[] conflicting = options.FlagsOnly
            .Where(o => parseResult.GetResult(o) is { Implicit: false })
            .Select(o => o.Name)
            .ToArray();
        if (conflicting.Length > 0)
        {
            error.WriteLine($"meshgw resolve: {string.Join(", ", conflicting)} cannot be combined with --entries (the file holds those settings)");
            return false;
        }

        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"meshgw resolve: cannot read {path}: {e.Message}");
            return false;
        }

        ConsulConfigReadResult read = ConsulConfigReader.Read(json);
        if (read.Catalog is not { } catalog)
        {
            foreach (ConsulConfigError problem in read.Errors)
            {
                error.WriteLine($"{path}: {problem}");
            }

            return false;
        }

        catalog = catalog.WithLocation(parseResult.GetValue(options.LocalDatacenter), parseResult.GetValue(options.LocalPartition));
        if (!catalog.TryGetUpstreamInput(service, upstreamName, out input, out string? notFound))
        {
            error.WriteLine($"{path}: {notFound}");
            return false;
        }

        return true;
    }
}
