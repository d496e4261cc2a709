using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Feeds a <see cref="ForwarderOptionsSource"/> from a configuration section and follows its change token: each edit
/// is bound afresh and, when it binds and validates, replaces the options atomically; otherwise every error is logged
/// and the last good options stay. Another source (a Consul watch) can update the same <see cref="Source"/>.
/// </summary>
internal sealed class ConfigurationForwarderOptions : IDisposable
{
    private static readonly Action<ILogger, int, string, Exception?> EditRejected = LoggerMessage.Define<int, string>(
        LogLevel.Error, new EventId(40, "ConfigurationEditRejected"),
        "Configuration edit rejected with {Count} error(s); keeping the last good configuration: {Errors}");

    private readonly IConfiguration _section;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;

    public ConfigurationForwarderOptions(IConfiguration section, ILogger? logger)
    {
        _section = section;
        _logger = logger ?? NullLogger.Instance;
        var initial = new ForwarderOptions();
        StartErrors = Read(section, initial);

        // Invalid at start: the source holds the defaults, and Options reports StartErrors when first read, so the
        // host's start-up validation lists them with every other options error.
        Source = new ForwarderOptionsSource(StartErrors.Count == 0 ? initial : new ForwarderOptions());
        Options = new Monitor(this);
        _subscription = ChangeToken.OnChange(section.GetReloadToken, Reload);
    }

    /// <summary>Every binding and validation error of the configuration the host started with; empty when valid.</summary>
    public IReadOnlyList<string> StartErrors { get; }

    /// <summary>The options as the host reads them: <see cref="Source"/>, or the start errors thrown as one exception.</summary>
    public IOptionsMonitor<ForwarderOptions> Options { get; }

    /// <summary>The options, replaced on every good edit.</summary>
    public ForwarderOptionsSource Source { get; }

    public void Dispose() => _subscription.Dispose();

    /// <summary>Binds, then validates even what bound only in part, so one edit's every error is reported together.</summary>
    private static IReadOnlyList<string> Read(IConfiguration section, ForwarderOptions options)
    {
        _ = ForwarderConfiguration.TryBind(section, options, out IReadOnlyList<string> bindErrors);
        ValidateOptionsResult validation = new ForwarderOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return [.. bindErrors, .. validation.Failed ? validation.Failures ?? [] : []];
    }

    private void Reload()
    {
        var next = new ForwarderOptions();
        IReadOnlyList<string> errors = Read(_section, next);
        if (errors.Count > 0 || !Source.TryUpdate(next, out errors))
        {
            EditRejected(_logger, errors.Count, string.Join("; ", errors), null);
        }
    }

    private sealed class Monitor(ConfigurationForwarderOptions owner) : IOptionsMonitor<ForwarderOptions>
    {
        public ForwarderOptions CurrentValue => owner.StartErrors.Count == 0
            ? owner.Source.CurrentValue
            : throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ForwarderOptions), owner.StartErrors);

        public ForwarderOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ForwarderOptions, string?> listener) => owner.Source.OnChange(listener);
    }
}
