using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Hcl;
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

    /// <summary>Errors of the current document still without a line and column, with the JSON path of the value each is about.</summary>
    private readonly List<(int Index, string Path)> _unplaced = [];

    /// <summary>The JSON path of the entry or registration being converted (<c>$.ConfigEntries[2]</c>); null outside one.</summary>
    private string? _path;

    private string? _fileName;
    private string? _datacenter;
    private string? _partition;
    private string? _locationFile;

    /// <summary>The file the next documents come from; errors found in them carry it.</summary>
    public string? FileName
    {
        set => _fileName = value;
    }

    /// <summary>Reads one whole document, then builds the catalog.</summary>
    public ConsulConfigReadResult Convert(EntriesFileJson file)
    {
        Add(file);
        return Build();
    }

    /// <summary>Adds a combined document: ConfigEntries, config_entries.bootstrap, Services and service.</summary>
    public void Add(EntriesFileJson file)
    {
        _path = "$";
        SetLocation(file.Datacenter, file.Partition);
        ConvertEntries(file.ConfigEntries, "ConfigEntries");
        ConvertEntries(file.ConfigEntriesBlock?.Bootstrap, "config_entries.bootstrap");
        if (file.Services is { } services)
        {
            for (int i = 0; i < services.Count; i++)
            {
                _path = $"$.Services[{i}]";
                ConvertService(services[i], $"Services[{i}]");
            }
        }

        if (file.Service is { } single)
        {
            _path = "$.service";
            ConvertService(single, "service");
        }

        _path = null;
    }

    /// <summary>Adds a document holding one config entry (a top-level <c>Kind</c>, as <c>consul config write</c> takes).</summary>
    public void AddEntry(ConfigEntryJson entry)
    {
        _path = "$";
        ConvertEntry(entry, "config entry");
        _path = null;
    }

    /// <summary>Adds a document that is one service registration body (a top-level service <c>Kind</c>).</summary>
    public void AddService(ServiceJson service)
    {
        _path = "$";
        ConvertService(service, "service");
        _path = null;
    }

    /// <summary>Adds an error found before conversion (syntax, I/O), under the current file unless it names one.</summary>
    public void AddError(ConsulConfigError error) => _errors.Add(error.FileName is null ? error with { FileName = _fileName } : error);

    /// <summary>Adds an error about the value at <paramref name="jsonPath"/> of the current document, to be placed by <see cref="PlaceErrors"/>.</summary>
    public void AddError(ConsulConfigError error, string jsonPath)
    {
        _unplaced.Add((_errors.Count, jsonPath));
        AddError(error);
    }

    /// <summary>
    /// Gives the current document's errors their line and column in <paramref name="document"/>: the JSON itself, or the
    /// HCL that <paramref name="hcl"/> was parsed from. An absent value is shown at its nearest enclosing one.
    /// </summary>
    public void PlaceErrors(ReadOnlySpan<byte> document, HclNode? hcl)
    {
        foreach ((int index, string path) in _unplaced)
        {
            for (string candidate = path; ; )
            {
                if (TryLocate(document, hcl, candidate, out int offset))
                {
                    (int line, int column) = HclPosition.Of(document, offset);
                    _errors[index] = _errors[index] with { Line = line, Column = column };
                    break;
                }

                if (!JsonPathLocator.TryParent(candidate, out candidate))
                {
                    break;
                }
            }
        }

        _unplaced.Clear();
    }

    private static bool TryLocate(ReadOnlySpan<byte> document, HclNode? hcl, string path, out int offset)
    {
        if (hcl is null)
        {
            return JsonPathLocator.TryFind(document, path, out offset);
        }

        bool found = HclPathFinder.TryFind(hcl, path, out HclNode node, out _, out _);
        offset = found ? node.Offset : 0;
        return found;
    }

    /// <summary>The catalog of everything added, or every error found.</summary>
    public ConsulConfigReadResult Build()
    {
        if (_errors.Count > 0)
        {
            return new ConsulConfigReadResult(null, _errors.ToArray());
        }

        var catalog = new ConsulModeCatalog(_datacenter, _partition, _proxyDefaults, _serviceDefaults, _services);
        return new ConsulConfigReadResult(catalog, []);
    }

    /// <summary>The local datacenter and partition: the first file to name one sets it; another file naming a different one is an error.</summary>
    private void SetLocation(string? datacenter, string? partition)
    {
        string where = _locationFile is null ? "" : $" in {_locationFile}";
        if (!string.IsNullOrEmpty(datacenter))
        {
            if (_datacenter is null)
            {
                _datacenter = datacenter;
                _locationFile ??= _fileName;
            }
            else if (_datacenter != datacenter)
            {
                Error("document", "Datacenter", $"datacenter {Quote(datacenter)} differs from {Quote(_datacenter)} set earlier{where}");
            }
        }

        if (!string.IsNullOrEmpty(partition))
        {
            if (_partition is null)
            {
                _partition = partition;
                _locationFile ??= _fileName;
            }
            else if (_partition != partition)
            {
                Error("document", "Partition", $"partition {Quote(partition)} differs from {Quote(_partition)} set earlier{where}");
            }
        }
    }

    private void RequireEmpty(string? value, string label, string field, string name)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Error(label, field, name + " must be empty");
        }
    }

    /// <summary>An error about <paramref name="field"/> (a path relative to the entry being converted, as written in the input).</summary>
    private void Error(string entry, string field, string message)
    {
        if (_path is not null)
        {
            _unplaced.Add((_errors.Count, field.Length == 0 ? _path : _path + "." + field));
        }

        _errors.Add(new ConsulConfigError(entry, field, message) { FileName = _fileName });
    }

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
