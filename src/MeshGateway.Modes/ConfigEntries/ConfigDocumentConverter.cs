using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// Turns the JSON shapes of one document into the model, collecting every error instead of stopping at the first
/// (split by concern: config entries, registrations, modes).
/// </summary>
internal sealed partial class ConfigDocumentConverter
{
    private readonly List<ConsulConfigError> _errors = [];
    private readonly List<ProxyDefaultsEntry> _proxyDefaults = [];
    private readonly List<ServiceDefaultsEntry> _serviceDefaults = [];
    private readonly List<ServiceRegistration> _services = [];

    public ConsulConfigReadResult Convert(EntriesFileJson file)
    {
        ConvertEntries(file.ConfigEntries, "ConfigEntries");
        ConvertEntries(file.ConfigEntriesBlock?.Bootstrap, "config_entries.bootstrap");
        if (file.Services is { } services)
        {
            for (int i = 0; i < services.Count; i++)
            {
                ConvertService(services[i], $"Services[{i}]");
            }
        }

        if (file.Service is { } single)
        {
            ConvertService(single, "service");
        }

        if (_errors.Count > 0)
        {
            return new ConsulConfigReadResult(null, _errors.ToArray());
        }

        var catalog = new ConsulModeCatalog(file.Datacenter, file.Partition, _proxyDefaults, _serviceDefaults, _services);
        return new ConsulConfigReadResult(catalog, []);
    }

    private void RequireEmpty(string? value, string label, string field, string name)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Error(label, field, name + " must be empty");
        }
    }

    private void Error(string entry, string field, string message) => _errors.Add(new ConsulConfigError(entry, field, message));

    private static string Quote(string value)
    {
        var builder = new StringBuilder();
        GoQuote.AppendQuoted(builder, value.AsSpan());
        return builder.ToString();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "a value",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string OrDefault(string? value) => string.IsNullOrEmpty(value) ? "default" : value;

    private static bool SameName(string? a, string? b) => OrDefault(a) == OrDefault(b);

    private static bool SamePartition(string? a, string? b) => OrDefault(a) == OrDefault(b);
}
