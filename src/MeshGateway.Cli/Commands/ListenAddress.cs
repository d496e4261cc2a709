using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands;

/// <summary>
/// The one listen-address syntax of <c>meshgw gateway --listen</c> and <c>meshgw run</c>'s listener addresses: the
/// library's <see cref="ListenEndPoint"/> (<c>IPv4:PORT</c>, <c>[IPv6]:PORT</c> or <c>localhost:PORT</c>, the port
/// always explicit).
/// </summary>
internal static class ListenAddress
{
    /// <summary>What a valid address looks like, for error messages.</summary>
    public const string Expected = ListenEndPoint.Expected;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and what is allowed.</summary>
    public static bool TryParse(string? text, out IPEndPoint? endPoint, out string? problem) =>
        ListenEndPoint.TryParse(text, out endPoint, out problem);
}
