using System.Globalization;
using System.Net;
using MeshGateway.Modes;

namespace MeshGateway.Forwarding;

/// <summary>The checks every section shares: paths, required values, names, addresses, endpoints, mode words, collisions.</summary>
public sealed partial class MeshGatewayComposer
{
    private static string[] Path(params string[] segments) => segments;

    private static string[] Child(string[] path, string name) => [.. path, name];

    private static string[] Index(string[] path, int index) => [.. path, index.ToString(CultureInfo.InvariantCulture)];

    private static string Key(IReadOnlyList<string> path) => string.Join('\u001F', path);

    private void Error(string[] path, string message) => _errors.Add(new MeshGatewayOptionsProblem(path, message));

    /// <summary>Whether the reader, or a check before, already reported <paramref name="path"/> or a place under it.</summary>
    private bool IsReported(string[] path)
    {
        string key = Key(path);
        return _reported.Contains(key) || _errors.Exists(e => Key(e.Path) == key);
    }

    private bool IsReportedUnder(string[] path)
    {
        string key = Key(path);
        return _reportedPrefixes.Exists(p => p == key || p.StartsWith(key + '\u001F', StringComparison.Ordinal))
            || _errors.Exists(e => Key(e.Path) is { } k && (k == key || k.StartsWith(key + '\u001F', StringComparison.Ordinal)));
    }

    /// <summary>A list entry that is null (set in code) is an error; one the reader already reported is skipped.</summary>
    private void ReportNull(object? entry, string[] path)
    {
        if (entry is null && !IsReported(path))
        {
            Error(path, "expected an object, got null.");
        }
    }

    /// <summary>The value, or an error (once) when it is missing.</summary>
    private string? Required(string? value, string[] path)
    {
        if (value is null && !IsReported(path))
        {
            Error(path, "required.");
        }

        return value;
    }

    private void CheckName(string? value, string[] path, Func<string, string, string?> problem, string what)
    {
        if (string.IsNullOrEmpty(value) || IsReported(path))
        {
            return;
        }

        if (problem(what, value) is { } message)
        {
            Error(path, message);
        }
    }

    private IPEndPoint? ListenAddress(string? text, string[] path)
    {
        if (IsReported(path))
        {
            return null;
        }

        if (ListenEndPoint.TryParse(text, out IPEndPoint? endPoint, out string? problem))
        {
            return endPoint;
        }

        Error(path, $"expected \"IP:PORT\", got {MeshGatewayText.Quote(text)}: {problem}");
        return null;
    }

    private List<UpstreamEndpoint> Endpoints(IReadOnlyList<string> texts, string[] path, bool required)
    {
        var endpoints = new List<UpstreamEndpoint>();
        for (int i = 0; i < texts.Count; i++)
        {
            string[] itemPath = Index(path, i);
            if (UpstreamEndpoint.TryParse(texts[i], out UpstreamEndpoint? endpoint))
            {
                endpoints.Add(endpoint!);
            }
            else if (!IsReported(itemPath))
            {
                Error(itemPath, $"expected \"HOST:PORT\", got {MeshGatewayText.Quote(texts[i])}.");
            }
        }

        if (required && endpoints.Count == 0 && !IsReportedUnder(path))
        {
            Error(path, "needs at least one endpoint (\"HOST:PORT\").");
        }

        return endpoints;
    }

    /// <summary>
    /// A mode in Consul's words (<c>""</c> or none is the default mode); <c>"default"</c>, which Consul rejects, is still
    /// read as the default mode, with a warning. Returns the word to resolve with, <see langword="null"/> for the default.
    /// </summary>
    private string? CheckMode(string? word, string[] path)
    {
        if (string.IsNullOrEmpty(word) || IsReported(path))
        {
            return null;
        }

        if (word == "default")
        {
            _warnings.Add(new MeshGatewayOptionsProblem(path, "\"default\" is not a Consul mode word; write \"\" (or leave the key out) for the default mode."));
            return null;
        }

        if (MeshGatewayModeParser.TryParse(word, out _))
        {
            return word;
        }

        Error(path, $"{MeshGatewayModeParser.InvalidModeMessage(word)}; expected \"\" (the default), \"none\", \"local\" or \"remote\".");
        return null;
    }

    /// <summary>
    /// Reports a second entry for one route under its own path, naming the first (names compare case-insensitively,
    /// as they route); the route table would otherwise report the collision without a path.
    /// </summary>
    private void Unique(Dictionary<string, string> seen, string? key, string[] path, string first)
    {
        if (key is null || IsReported(path))
        {
            return;
        }

        if (seen.TryGetValue(key, out string? earlier))
        {
            Error(path, $"the same route as {earlier} (names compare case-insensitively).");
        }
        else
        {
            seen.Add(key, first);
        }
    }

    /// <summary><c>services[0]</c>: a neutral name for an entry, readable in a file's and in a host's syntax.</summary>
    private static string Entry(string list, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{MeshGatewayOptionsProblem.CamelCase(list)}[{index}]");
}
