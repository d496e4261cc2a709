using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>Cached snake_case names of <see cref="CloseCause"/> values, for metric tags and log lines.</summary>
internal static class CloseCauseNames
{
    private static readonly string[] Names = Enum.GetNames<CloseCause>().Select(SnakeCase).ToArray();

    public static string Get(CloseCause cause) => Names[(int)cause];

    public static string SnakeCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
