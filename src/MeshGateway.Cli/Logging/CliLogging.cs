using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MeshGateway.Cli.Logging;

/// <summary>
/// The <c>--log-level</c> option of the long-running verbs and the console logger it configures: one line per
/// message, to stderr, through the console logger's bounded queue in <see cref="ConsoleLoggerQueueFullMode.DropWrite"/>
/// mode, so a stderr nobody reads drops log messages instead of stalling forwarding.
/// </summary>
internal static class CliLogging
{
    /// <summary>The accepted values, in order of verbosity.</summary>
    public static readonly IReadOnlyList<string> Levels = ["trace", "debug", "information", "warning", "error", "none"];

    /// <summary>Messages the console logger queues before it drops new ones.</summary>
    public const int QueueLength = 1024;

    /// <summary>Creates the <c>--log-level</c> option (default <c>information</c>); an unknown level is a usage error naming the flag and the allowed values.</summary>
    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--log-level")
        {
            Description = $"Diagnostics written to stderr: {string.Join('|', Levels)} (default information).",
            DefaultValueFactory = _ => "information",
        };
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (!TryParse(value, out _))
            {
                result.AddError($"--log-level '{value}': expected one of {string.Join(", ", Levels)}.");
            }
        });
        return option;
    }

    /// <summary>Parses a level name (case-insensitive).</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        level = text?.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" => LogLevel.Information,
            "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "none" => LogLevel.None,
            _ => (LogLevel)(-1),
        };
        return level >= LogLevel.Trace;
    }

    /// <summary>A logger factory writing messages at <paramref name="level"/> and above to stderr, never blocking the caller.</summary>
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        if (level == LogLevel.None)
        {
            return;
        }

        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(options =>
        {
            options.LogToStandardErrorThreshold = LogLevel.Trace; // stdout is the connection log's
            options.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            options.MaxQueueLength = QueueLength;
        });
    });
}
