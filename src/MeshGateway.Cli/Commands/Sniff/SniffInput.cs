namespace MeshGateway.Cli.Commands.Sniff;

/// <summary>Reads the bytes <c>meshgw sniff</c> parses: a file or standard input, raw or hex text.</summary>
internal static class SniffInput
{
    /// <summary>Returns the bytes, or null with <paramref name="problem"/> set (a usage error).</summary>
    public static byte[]? Read(string path, bool hex, out string? problem)
    {
        problem = null;
        byte[] raw;
        try
        {
            if (path == "-")
            {
                if (hex)
                {
                    return FromHex(Console.In.ReadToEnd(), out problem);
                }

                using Stream stdin = Console.OpenStandardInput();
                using var copy = new MemoryStream();
                stdin.CopyTo(copy);
                raw = copy.ToArray();
            }
            else if (Directory.Exists(path))
            {
                // Opening a directory fails with "Access to the path is denied", which names the wrong problem.
                problem = $"cannot read '{path}': it is a directory; give a file holding the client's first bytes, or '-' for standard input.";
                return null;
            }
            else
            {
                raw = File.ReadAllBytes(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"cannot read '{path}': {e.Message}";
            return null;
        }

        return hex ? FromHex(System.Text.Encoding.ASCII.GetString(raw), out problem) : raw;
    }

    private static byte[]? FromHex(string text, out string? problem)
    {
        problem = null;
        var digits = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c) && c != ':')
            {
                digits.Append(c);
            }
        }

        try
        {
            return Convert.FromHexString(digits.ToString());
        }
        catch (FormatException)
        {
            problem = "the input is not hex text (an even number of 0-9a-f digits; whitespace and ':' are ignored).";
            return null;
        }
    }
}
