using System.Buffers;
using System.Text;

namespace MeshGateway.Naming;

/// <summary>
/// How server names are put in one canonical form before they are compared: one final dot removed, ASCII letters
/// lower-cased (DNS names compare ASCII case-insensitively, RFC 4343; RFC 6066 §3 sends host names without the
/// final dot). Non-ASCII characters are kept as they are.
/// </summary>
internal static class ServerNames
{
    /// <summary>The longest name a rule can match (RFC 1035 §2.3.4, without the final dot).</summary>
    public const int MaxLength = ConsulNameValidation.MaxNameLength;

    /// <summary>
    /// Writes the canonical form of <paramref name="name"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> long) and returns its length, or -1 when the name cannot match an exact or
    /// wildcard rule (empty, longer than <see cref="MaxLength"/>, or with an empty label).
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> name, Span<char> destination)
    {
        if (!name.IsEmpty && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxLength)
        {
            return -1;
        }

        destination = destination[..name.Length];
        if (Ascii.ToLower(name, destination, out _) != OperationStatus.Done)
        {
            // Non-ASCII input: lower-case the ASCII letters only, keep the rest.
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                destination[i] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            }
        }

        if (destination[0] == '.' || destination[^1] == '.' || destination.IndexOf("..") >= 0)
        {
            return -1;
        }

        return name.Length;
    }

    /// <summary>
    /// Checks a rule's server name (no <c>*</c> allowed) and returns its canonical form, or the reason it is invalid.
    /// Rules must be printable ASCII without spaces, 1 to 253 characters, labels 1 to 63 characters.
    /// </summary>
    public static string? Canonicalize(string name, out string? error)
    {
        ReadOnlySpan<char> span = name;
        if (!span.IsEmpty && span[^1] == '.')
        {
            span = span[..^1];
        }

        if (span.IsEmpty)
        {
            error = "is empty";
            return null;
        }

        if (span.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters";
            return null;
        }

        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c == '*')
            {
                error = "has a '*' that is not a whole leftmost label (a wildcard is \"*.suffix\")";
                return null;
            }

            if (c <= ' ' || c >= '\u007f')
            {
                error = $"has the character U+{(int)c:X4} at index {i} (only printable ASCII without spaces is allowed)";
                return null;
            }
        }

        foreach (Range range in span.Split('.'))
        {
            int length = range.GetOffsetAndLength(span.Length).Length;
            if (length == 0)
            {
                error = "has an empty label";
                return null;
            }

            if (length > ConsulNameValidation.MaxLabelLength)
            {
                error = $"has a label longer than {ConsulNameValidation.MaxLabelLength} characters";
                return null;
            }
        }

        error = null;
        return span.ToString().ToLowerInvariant();
    }
}
