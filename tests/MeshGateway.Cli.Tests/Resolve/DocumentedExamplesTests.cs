using System.Text.RegularExpressions;

namespace MeshGateway.Cli.Tests.Resolve;

/// <summary>
/// Runs every <c>$ meshgw …</c> example in docs/modes.md and compares the next line with what the tool prints,
/// so the page cannot drift from the behaviour. The <c>modes-example.json</c> block is written to a temporary file.
/// </summary>
public sealed partial class DocumentedExamplesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-docs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<int, string, string> Examples()
    {
        string[] lines = File.ReadAllLines(DocsPage());
        var data = new TheoryData<int, string, string>();
        for (int i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].StartsWith("$ meshgw ", StringComparison.Ordinal))
            {
                string command = lines[i]["$ meshgw ".Length..];
                int comment = command.IndexOf('#', StringComparison.Ordinal);
                data.Add(i + 1, (comment < 0 ? command : command[..comment]).Trim(), lines[i + 1]);
            }
        }

        return data;
    }

    [Fact]
    public void The_page_has_examples_for_every_worked_configuration()
    {
        Assert.True(Examples().Count >= 13);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Documented_example_prints_what_the_page_says(int line, string command, string expected)
    {
        string example = Path.Combine(_directory, "modes-example.json");
        File.WriteAllText(example, ExampleFile());
        string[] args = Whitespace().Split(command)
            .Select(a => a == "modes-example.json" ? example : a)
            .ToArray();

        var (code, output, _) = CliRunner.Run(args);

        Assert.True(code == 0, $"docs/modes.md line {line}: exit code {code}");
        Assert.Equal(expected, output.TrimEnd('\n', '\r'));
    }

    private static string ExampleFile()
    {
        string page = File.ReadAllText(DocsPage());
        Match block = ExampleBlock().Match(page);
        Assert.True(block.Success, "docs/modes.md has no modes-example.json block");
        return block.Groups["json"].Value;
    }

    private static string DocsPage()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "docs", "modes.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/modes.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<!-- modes-example\.json -->\s*```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
