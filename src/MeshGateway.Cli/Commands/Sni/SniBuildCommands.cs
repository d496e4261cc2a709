using System.CommandLine;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Sni;

/// <summary>
/// The four builders: each prints the name and a newline and exits 0; invalid input prints every problem on stderr
/// and exits 2 (<see cref="MeshGatewayCli.UsageError"/>).
/// </summary>
internal static class SniBuildCommands
{
    /// <summary><c>meshgw sni service --service S [--subset X] [--namespace N] [--partition P] --datacenter D --trust-domain T</c>.</summary>
    public static Command Service()
    {
        Option<string> service = Required("--service", "The service name.");
        Option<string> subset = Optional("--subset", "The service-resolver subset (a prefix label).");
        Option<string> ns = Optional("--namespace", "The namespace; empty means default.");
        Option<string> partition = Optional("--partition", "The admin partition; empty or default gives the short internal form.");
        Option<string> datacenter = Required("--datacenter", "The datacenter ([a-z0-9_-]).");
        Option<string> trustDomain = Required("--trust-domain", "The trust domain, <cluster-id>.consul.");
        var command = new Command("service", "Print a service's SNI: [subset.]service.namespace[.partition].datacenter.internal[-v1].trust-domain.")
        {
            service, subset, ns, partition, datacenter, trustDomain,
        };
        command.SetAction(result =>
        {
            var errors = new List<string>();
            string s = result.GetValue(service)!;
            string? x = result.GetValue(subset);
            string? n = result.GetValue(ns);
            string? p = result.GetValue(partition);
            string d = result.GetValue(datacenter)!;
            string t = result.GetValue(trustDomain)!;
            CheckLabel(errors, "--service", s);
            CheckOptionalLabel(errors, "--subset", x);
            CheckOptionalLabel(errors, "--namespace", n);
            CheckOptionalLabel(errors, "--partition", p);
            CheckDatacenter(errors, d);
            CheckTrustDomain(errors, t);
            return Print(result, errors, () => ConsulSniName.ForService(s, x, n, p, d, t));
        });
        return command;
    }

    /// <summary><c>meshgw sni gateway --datacenter D [--partition P] --trust-domain T</c>.</summary>
    public static Command Gateway()
    {
        Option<string> datacenter = Required("--datacenter", "The datacenter ([a-z0-9_-]).");
        Option<string> partition = Optional("--partition", "The admin partition; empty or default gives the short internal form.");
        Option<string> trustDomain = Required("--trust-domain", "The trust domain, <cluster-id>.consul.");
        var command = new Command("gateway", "Print the SNI of a datacenter's (or partition's) mesh gateways: [partition.]datacenter.internal[-v1].trust-domain.")
        {
            datacenter, partition, trustDomain,
        };
        command.SetAction(result =>
        {
            var errors = new List<string>();
            string d = result.GetValue(datacenter)!;
            string? p = result.GetValue(partition);
            string t = result.GetValue(trustDomain)!;
            CheckDatacenter(errors, d);
            CheckOptionalLabel(errors, "--partition", p);
            CheckTrustDomain(errors, t);
            return Print(result, errors, () => ConsulSniName.ForGateway(d, p, t));
        });
        return command;
    }

    /// <summary><c>meshgw sni query --query Q --datacenter D --trust-domain T</c>.</summary>
    public static Command Query()
    {
        Option<string> query = Required("--query", "The prepared query's name.");
        Option<string> datacenter = Required("--datacenter", "The datacenter ([a-z0-9_-]).");
        Option<string> trustDomain = Required("--trust-domain", "The trust domain, <cluster-id>.consul.");
        var command = new Command("query", "Print a prepared query's SNI: query.default.datacenter.query.trust-domain.")
        {
            query, datacenter, trustDomain,
        };
        command.SetAction(result =>
        {
            var errors = new List<string>();
            string q = result.GetValue(query)!;
            string d = result.GetValue(datacenter)!;
            string t = result.GetValue(trustDomain)!;
            CheckLabel(errors, "--query", q);
            CheckDatacenter(errors, d);
            CheckTrustDomain(errors, t);
            return Print(result, errors, () => ConsulSniName.ForPreparedQuery(q, d, t));
        });
        return command;
    }

    /// <summary><c>meshgw sni peered --service S [--namespace N] [--partition P] --peer R --trust-domain T</c>.</summary>
    public static Command Peered()
    {
        Option<string> service = Required("--service", "The exported service's name.");
        Option<string> ns = Optional("--namespace", "The namespace; empty means default.");
        Option<string> partition = Optional("--partition", "The admin partition; empty means default (always written).");
        Option<string> peer = Required("--peer", "The peer the service is exported to.");
        Option<string> trustDomain = Required("--trust-domain", "The trust domain, <cluster-id>.consul.");
        var command = new Command("peered", "Print a peered service's SNI: service.namespace.partition.peer.external.trust-domain.")
        {
            service, ns, partition, peer, trustDomain,
        };
        command.SetAction(result =>
        {
            var errors = new List<string>();
            string s = result.GetValue(service)!;
            string? n = result.GetValue(ns);
            string? p = result.GetValue(partition);
            string r = result.GetValue(peer)!;
            string t = result.GetValue(trustDomain)!;
            CheckLabel(errors, "--service", s);
            CheckOptionalLabel(errors, "--namespace", n);
            CheckOptionalLabel(errors, "--partition", p);
            if (r.Length == 0)
            {
                // Consul's wording (PeeredServiceSNI).
                errors.Add("--peer: peer name is a requirement for this function and does not make sense without it");
            }
            else
            {
                CheckLabel(errors, "--peer", r);
            }

            CheckTrustDomain(errors, t);
            return Print(result, errors, () => ConsulSniName.ForPeeredService(s, n, p, r, t));
        });
        return command;
    }

    private static Option<string> Required(string name, string description) =>
        new(name) { Description = description, Required = true };

    private static Option<string> Optional(string name, string description) =>
        new(name) { Description = description };

    private static int Print(ParseResult result, List<string> errors, Func<ConsulSniName> build)
    {
        TextWriter error = result.InvocationConfiguration.Error;
        if (errors.Count == 0)
        {
            ConsulSniName name = build();
            if (name.Length > ConsulNameValidation.MaxNameLength)
            {
                errors.Add(ConsulNameValidation.Describe(ConsulNameError.NameTooLong, "the SNI", name.ToString()));
            }
            else
            {
                result.InvocationConfiguration.Output.WriteLine(name.ToString());
                return 0;
            }
        }

        foreach (string message in errors)
        {
            error.WriteLine($"meshgw sni: {message}");
        }

        return MeshGatewayCli.UsageError;
    }

    // The flag is the name of the value in each message ("--service \"Web!\" has the character '!' ..."). Beyond
    // Consul's own rules, every label must be [A-Za-z0-9_-]: no TLS client sends anything else.
    private static void CheckLabel(List<string> errors, string option, string value) =>
        NameChecks.Label(errors, where: null, option, value);

    private static void CheckOptionalLabel(List<string> errors, string option, string? value) =>
        NameChecks.OptionalLabel(errors, where: null, option, value);

    private static void CheckDatacenter(List<string> errors, string value) =>
        NameChecks.Datacenter(errors, where: null, "--datacenter", value);

    private static void CheckTrustDomain(List<string> errors, string value) =>
        NameChecks.Name(errors, where: null, "--trust-domain", value);
}
