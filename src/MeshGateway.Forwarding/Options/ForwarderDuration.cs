using System.Globalization;

namespace MeshGateway.Forwarding;

/// <summary>
/// The one duration syntax of MeshGateway's configuration: a number with a unit (<c>"500ms"</c>, <c>"10s"</c>,
/// <c>"5m"</c>, <c>"1.5h"</c>) or a .NET <see cref="TimeSpan"/> (<c>"00:00:10"</c>, <c>"1.00:00:00"</c>), from 1 ms
/// to <see cref="ForwarderOptions.MaxTimeout"/>. The amount is checked against the bound before a
/// <see cref="TimeSpan"/> is made, so no text (not even <c>"99999999999999999999h"</c>) overflows.
/// </summary>
public static class ForwarderDuration
{
    private static readonly (string Suffix, double Scale)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

    /// <summary>The shortest duration accepted.</summary>
    public static TimeSpan Min { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration, or <see cref="TimeSpan.Zero"/> when invalid.</param>
    /// <param name="error">
    /// Why the text is not a duration, a sentence that starts after the value, e.g. <c>is shorter than "1ms"; …</c>;
    /// <see langword="null"/> on success.
    /// </param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a duration in range.</returns>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        double? milliseconds = null;
        if (text is not null)
        {
            foreach ((string suffix, double scale) in Units)
            {
                if (text.EndsWith(suffix, StringComparison.Ordinal)
                    && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)
                    && amount > 0)
                {
                    milliseconds = amount * scale;
                    break;
                }
            }

            if (milliseconds is null && text.Contains(':', StringComparison.Ordinal)
                && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out TimeSpan span) && span > TimeSpan.Zero)
            {
                milliseconds = span.TotalMilliseconds;
            }
        }

        if (milliseconds is not { } ms)
        {
            error = "is not a duration: expected a positive duration such as \"500ms\", \"10s\", \"5m\", \"1h\" or \"00:00:10\" (at most \"1193h\")";
            return false;
        }

        if (ms > ForwarderOptions.MaxTimeout.TotalMilliseconds)
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"is longer than the longest duration a runtime timer can hold; expected a duration from \"1ms\" to \"{ForwarderOptions.MaxTimeout.TotalMilliseconds:F0}ms\" (about 49.7 days, so at most \"1193h\")");
            return false;
        }

        if (ms < Min.TotalMilliseconds)
        {
            error = "is shorter than \"1ms\"; expected a duration from \"1ms\" to \"1193h\"";
            return false;
        }

        duration = TimeSpan.FromMilliseconds(ms);
        error = null;
        return true;
    }
}
