using Xunit;

namespace MeshGateway.Testing;

/// <summary>
/// Waits for a condition that another thread (or the kernel) makes true, polling it, and fails the test when it did not
/// hold within a bound instead of hanging it. For states with no event to await (a queue length, a counter).
/// </summary>
public static class Eventually
{
    /// <summary>The longest <see cref="TrueAsync"/> waits.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test when it did not within <see cref="Bound"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long start = Environment.TickCount64;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 - start < Bound.TotalMilliseconds, $"the condition did not hold within {Bound.TotalSeconds:0} s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
