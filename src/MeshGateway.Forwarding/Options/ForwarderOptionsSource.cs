using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Forwarder options that something outside the options pipeline replaces at run time: a configuration reload
/// (MeshGateway.Forwarding.Hosting), a Consul catalog watch, a control plane of your own. It is an
/// <see cref="IOptionsMonitor{TOptions}"/>, so <see cref="OptionsRouteResolver"/> follows it: routes, clusters and
/// fallbacks switch atomically on every accepted update (a connection sees the old or the new set, never a mix).
/// An update is validated first (<see cref="TryUpdate"/> reports every error at once) and a rejected one leaves the
/// last good options in place.
/// </summary>
public sealed class ForwarderOptionsSource : IOptionsMonitor<ForwarderOptions>
{
    private readonly Lock _gate = new();
    private readonly List<Action<ForwarderOptions, string?>> _listeners = [];
    private ForwarderOptions _current;

    /// <summary>Starts with <paramref name="initial"/>.</summary>
    /// <param name="initial">The first options.</param>
    /// <exception cref="OptionsValidationException"><paramref name="initial"/> is invalid; every error is listed.</exception>
    public ForwarderOptionsSource(ForwarderOptions initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ForwarderOptionsValidator.ThrowIfInvalid(initial);
        _current = initial;
    }

    /// <summary>The last accepted options. Treat them as immutable: update with a new instance.</summary>
    public ForwarderOptions CurrentValue => Volatile.Read(ref _current);

    /// <summary>The last accepted options (one set, whatever the name).</summary>
    /// <param name="name">Ignored.</param>
    /// <returns><see cref="CurrentValue"/>.</returns>
    public ForwarderOptions Get(string? name) => CurrentValue;

    /// <summary>Calls <paramref name="listener"/> after every accepted update.</summary>
    /// <param name="listener">Called with the new options.</param>
    /// <returns>Disposing it stops the calls.</returns>
    public IDisposable OnChange(Action<ForwarderOptions, string?> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return new Subscription(this, listener);
    }

    /// <summary>Validates <paramref name="next"/> and, when valid, makes it current and tells every listener.</summary>
    /// <param name="next">The new options (a new instance; do not change it afterwards).</param>
    /// <param name="errors">Every validation error, by option path; empty when accepted.</param>
    /// <returns><see langword="true"/> when accepted; otherwise the previous options stay current.</returns>
    public bool TryUpdate(ForwarderOptions next, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(next);
        ValidateOptionsResult result = new ForwarderOptionsValidator().Validate(Options.DefaultName, next);
        if (result.Failed)
        {
            errors = [.. result.Failures ?? []];
            return false;
        }

        Action<ForwarderOptions, string?>[] listeners;
        lock (_gate)
        {
            Volatile.Write(ref _current, next);
            listeners = [.. _listeners];
        }

        foreach (Action<ForwarderOptions, string?> listener in listeners)
        {
            listener(next, Options.DefaultName);
        }

        errors = [];
        return true;
    }

    private sealed class Subscription(ForwarderOptionsSource source, Action<ForwarderOptions, string?> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (source._gate)
            {
                source._listeners.Remove(listener);
            }
        }
    }
}
