using Xunit;

namespace MeshGateway.Testing;

/// <summary>
/// Outside programs some tests run as real, independent peers (openssl, curl, tshark). A test asks for one with
/// <see cref="Require"/>: found on <c>PATH</c>, it runs; absent on a developer's machine (only the .NET SDK), the test
/// is skipped with the reason; absent under CI (<c>CI=true</c>, set by <c>.ci/run</c>, which installs every such
/// tool), the test fails, so a green CI run never hides a skipped real-peer test.
/// </summary>
public static class ExternalTool
{
    /// <summary>True when the tests run under CI, where every outside tool must be present.</summary>
    public static bool UnderCi { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> found on <c>PATH</c>, or null.</summary>
    public static string? Find(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the path of <paramref name="name"/>; when it is not on <c>PATH</c>, skips the calling test (or fails it
    /// under CI) with a reason that names the tool and how to get it.
    /// </summary>
    public static string Require(string name) => Require(name, UnderCi);

    /// <summary>
    /// <see cref="Require(string)"/> with whether this is CI given rather than read from the environment, so that the
    /// rule's own tests can hold both answers in one run.
    /// </summary>
    public static string Require(string name, bool underCi)
    {
        if (Find(name) is string found)
        {
            return found;
        }

        string message = MissingMessage(name, underCi);
        if (underCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return name; // not reached: Assert.Skip throws
    }

    /// <summary>
    /// What a test that needs <paramref name="name"/> is told when the tool is not on <c>PATH</c>: the skip reason
    /// (which tool, and how to get it), or under CI the failure that forbids the skip.
    /// </summary>
    public static string MissingMessage(string name, bool underCi)
    {
        string reason = $"{name} is not on PATH (.ci/run installs it from Debian's packages)";
        return underCi ? $"{reason}: under CI no test may be skipped for a missing tool" : reason;
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
