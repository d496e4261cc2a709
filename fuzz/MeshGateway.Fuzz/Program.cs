using SharpFuzz;

namespace MeshGateway.Fuzz;

/// <summary>
/// <c>MeshGateway.Fuzz TARGET</c> runs TARGET under AFL++ (stdin/shared-memory protocol of SharpFuzz);
/// <c>MeshGateway.Fuzz TARGET --replay FILE...</c> runs files through it once and reports the first failure.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        IFuzzTarget? target = args.Length > 0 ? FuzzTargets.Find(args[0]) : null;
        if (target is null)
        {
            Console.Error.WriteLine($"usage: MeshGateway.Fuzz TARGET [--replay FILE...]; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            foreach (string file in args.Skip(2))
            {
                target.Run(File.ReadAllBytes(file));
            }

            Console.WriteLine($"{target.Name}: {args.Length - 2} input(s) ran clean");
            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target.Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        });
        return 0;
    }
}
