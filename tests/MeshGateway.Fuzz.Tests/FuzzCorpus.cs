using MeshGateway.Testing;

namespace MeshGateway.Fuzz.Tests;

/// <summary>The inputs each target replays: its seeds, and every crash a fuzzing campaign saved for it.</summary>
internal static class FuzzCorpus
{
    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        string root = AppContext.BaseDirectory;
        foreach (string file in CaptureFiles.ClientHelloFiles())
        {
            data.Add("clienthello", Path.GetRelativePath(root, file));
        }

        foreach (string folder in new[] { "seeds", "regressions" })
        {
            string path = Path.Combine(root, "fuzz", folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (string targetFolder in Directory.EnumerateDirectories(path))
            {
                foreach (string file in Directory.EnumerateFiles(targetFolder))
                {
                    data.Add(Path.GetFileName(targetFolder), Path.GetRelativePath(root, file));
                }
            }
        }

        return data;
    }

    public static byte[][] Captures() => [.. CaptureFiles.ClientHelloFiles().Select(File.ReadAllBytes)];
}
