namespace MeshGateway.Testing;

/// <summary>Files a test writes for the code under test to read (configuration, config entries), in a fresh folder.</summary>
public static class TempFiles
{
    /// <summary>
    /// Writes each file (a name may hold subfolders, created as needed) into a new folder under the system's temporary
    /// folder whose name starts with <paramref name="prefix"/>, and returns the folder.
    /// </summary>
    public static string Folder(string prefix, params (string Name, string Content)[] files)
    {
        string folder = Directory.CreateTempSubdirectory(prefix).FullName;
        foreach ((string name, string content) in files)
        {
            string path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return folder;
    }
}
