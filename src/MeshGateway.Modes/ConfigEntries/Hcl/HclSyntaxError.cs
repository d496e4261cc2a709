namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>Why an HCL document could not be read, and where (a byte offset; line and column are computed from it).</summary>
/// <param name="Offset">The byte offset of the problem in the document.</param>
/// <param name="Message">What is wrong, e.g. <c>expected '=' or '{' after key 'mode'</c>.</param>
internal readonly record struct HclSyntaxError(int Offset, string Message);
