using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Testing.Consul;

/// <summary>A request the fake agent received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Token, string Body)
{
    public ulong? Index => QueryValue("index") is { } v ? ulong.Parse(v, CultureInfo.InvariantCulture) : null;

    public string? QueryValue(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>
/// An in-repo Consul HTTP API on 127.0.0.1 with the blocking-query semantics of Consul's documentation: every resource
/// has a modify index (from one growing Raft-like counter), returned as <c>X-Consul-Index</c>; a request with
/// <c>?index=N</c> is held until the resource's index passes N or <c>wait</c> (plus up to wait/16 jitter) elapses.
/// Serves the catalog, health, CA roots, config-entry and agent-registration endpoints the source uses.
/// </summary>
public sealed class FakeConsulAgent : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (ulong Index, string Json)> resources = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource requestSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong raftIndex = 10;
    private int inFlight;
    private WebApplication? app;
    private CancellationTokenSource? serving;

    private FakeConsulAgent()
    {
    }

    /// <summary>The agent's address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address { get; private set; } = null!;

    public int Port { get; private set; }

    /// <summary>When set, requests without this <c>X-Consul-Token</c> get 403 "ACL not found".</summary>
    public string? RequiredToken { get; set; }

    /// <summary>While true every request gets HTTP 500.</summary>
    public bool Failing { get; set; }

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The most requests held at once.</summary>
    public int MaxInFlight { get; private set; }

    /// <summary>The server certificate when the agent serves HTTPS, else null.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; private init; }

    public static async Task<FakeConsulAgent> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var agent = new FakeConsulAgent { Certificate = certificate };
        await agent.ListenAsync(0);
        return agent;
    }

    /// <summary>Sets a resource (path plus, for other datacenters, <c>?dc=</c>) to a JSON body; holders wake up.</summary>
    public void Set(string key, string json)
    {
        lock (gate)
        {
            resources[key] = (++raftIndex, json);
            WakeHolders();
        }
    }

    /// <summary>Removes a resource (config entries then answer 404).</summary>
    public void Remove(string key)
    {
        lock (gate)
        {
            resources.Remove(key);
            raftIndex++;
            WakeHolders();
        }
    }

    /// <summary>Sets a resource with an explicit index, as after a snapshot restore (the index may go backwards).</summary>
    public void SetWithIndex(string key, string json, ulong index)
    {
        lock (gate)
        {
            resources[key] = (index, json);
            WakeHolders();
        }
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path).ToArray();

    /// <summary>Completes once at least <paramref name="count"/> requests to <paramref name="path"/> (any when null) arrived.</summary>
    public async Task WaitForRequestsAsync(string? path, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task seen;
            lock (gate)
            {
                seen = requestSeen.Task;
            }

            if (Requests.Count(r => path is null || r.Path == path) >= count)
            {
                return;
            }

            await seen.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops listening and drops held requests: the agent is gone (connections are refused).</summary>
    public async Task StopAsync()
    {
        if (app is null)
        {
            return;
        }

        await serving!.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        serving.Dispose();
        app = null;
    }

    /// <summary>Listens again on the same port, with the same state.</summary>
    public Task RestartAsync() => ListenAsync(Port);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ListenAsync(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (Certificate is { } certificate)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        WebApplication web = builder.Build();
        serving = new CancellationTokenSource();
        CancellationToken stop = serving.Token;
        web.Run(context => HandleAsync(context, stop));
        await web.StartAsync();
        app = web;
        Port = new Uri(web.Urls.First()).Port;
        Address = new Uri($"{(Certificate is null ? "http" : "https")}://127.0.0.1:{Port}/");
    }

    private async Task HandleAsync(HttpContext context, CancellationToken stop)
    {
        HttpRequest request = context.Request;
        string body = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
        string? token = request.Headers.TryGetValue("X-Consul-Token", out var t) ? t.ToString() : null;
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", token, body);
        Requests.Enqueue(recorded);
        lock (gate)
        {
            Interlocked.Exchange(ref requestSeen, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        int now = Interlocked.Increment(ref inFlight);
        lock (gate)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }

        try
        {
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(stop, context.RequestAborted);
            await RespondAsync(context, recorded, aborted.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            context.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private async Task RespondAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("rpc error: No cluster leader", cancellationToken);
            return;
        }

        if (RequiredToken is not null && request.Token != RequiredToken)
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("ACL not found", cancellationToken);
            return;
        }

        if (request.Method == "PUT")
        {
            context.Response.StatusCode = request.Path.StartsWith("/v1/agent/service/", StringComparison.Ordinal) ? 200 : 405;
            return;
        }

        string key = request.QueryValue("dc") is { } dc ? $"{request.Path}?dc={dc}" : request.Path;
        TimeSpan wait = ParseWait(request.QueryValue("wait"));
        DateTime deadline = DateTime.UtcNow + wait + TimeSpan.FromTicks(Random.Shared.NextInt64(wait.Ticks / 16 + 1));
        while (true)
        {
            Task changeSignal;
            (ulong Index, string Json)? found;
            ulong tableIndex;
            lock (gate)
            {
                changeSignal = changed.Task;
                found = resources.TryGetValue(key, out var r) ? r : null;
                tableIndex = raftIndex;
            }

            ulong index = found?.Index ?? tableIndex;
            TimeSpan left = deadline - DateTime.UtcNow;
            if (request.Index is not ulong asked || index > asked || asked == 0 || left <= TimeSpan.Zero || index < asked && index > 0 && found is not null)
            {
                await WriteAsync(context, key, found, index, cancellationToken);
                return;
            }

            try
            {
                await changeSignal.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, string key, (ulong Index, string Json)? found, ulong index, CancellationToken cancellationToken)
    {
        context.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        if (found is { } resource)
        {
            await context.Response.WriteAsync(resource.Json, cancellationToken);
        }
        else if (key.StartsWith("/v1/health/", StringComparison.Ordinal) || key == "/v1/config/service-defaults")
        {
            await context.Response.WriteAsync("[]", cancellationToken);
        }
        else
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"Config entry not found for \"{key}\"", cancellationToken);
        }
    }

    private void WakeHolders() => Interlocked.Exchange(ref changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Consul's wait: a duration like <c>10s</c>, <c>5m</c>, <c>100ms</c>; 5 minutes when absent; at most 10 minutes.</summary>
    private static TimeSpan ParseWait(string? wait)
    {
        if (string.IsNullOrEmpty(wait))
        {
            return TimeSpan.FromMinutes(5);
        }

        TimeSpan value = wait.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(wait[..^2], CultureInfo.InvariantCulture))
            : wait.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(wait[..^1], CultureInfo.InvariantCulture))
            : wait.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(wait[..^1], CultureInfo.InvariantCulture))
            : throw new FormatException("bad wait " + wait);
        return value > TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : value;
    }
}
