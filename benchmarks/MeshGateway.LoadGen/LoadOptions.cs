using System.Globalization;
using System.Net;

namespace MeshGateway.LoadGen;

/// <summary>The <c>--key value</c> pairs of the command line.</summary>
internal sealed class LoadOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static LoadOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new LoadOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options._values[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    public int Int(string key, int fallback) =>
        _values.TryGetValue(key, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string key) =>
        _values.TryGetValue(key, out string? v) ? v : throw new ArgumentException($"--{key} is required");

    public IPEndPoint EndPoint(string key) => IPEndPoint.Parse(String(key));

    public byte[] Hello() => File.ReadAllBytes(String("hello"));
}
