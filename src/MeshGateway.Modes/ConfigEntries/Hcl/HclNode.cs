namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>What an HCL 1 value is.</summary>
internal enum HclNodeKind
{
    Object,
    List,
    String,
    Number,
    Bool,
}

/// <summary>
/// One HCL 1 value as written: an object (a block body or <c>{ … }</c>), a list, a string (quoted or heredoc), a
/// number or a bool, with the byte offset it starts at (for error positions).
/// </summary>
internal sealed class HclNode
{
    private HclNode(HclNodeKind kind, int offset)
    {
        Kind = kind;
        Offset = offset;
    }

    public HclNodeKind Kind { get; }

    public int Offset { get; }

    /// <summary>A string's value, or a number's JSON text.</summary>
    public string Text { get; private init; } = "";

    public bool Bool { get; private init; }

    /// <summary>An object's items, in input order (a key may repeat).</summary>
    public List<HclItem> Items { get; } = [];

    /// <summary>A list's elements.</summary>
    public List<HclNode> Elements { get; } = [];

    public static HclNode NewObject(int offset) => new(HclNodeKind.Object, offset);

    public static HclNode NewList(int offset) => new(HclNodeKind.List, offset);

    public static HclNode NewString(int offset, string value) => new(HclNodeKind.String, offset) { Text = value };

    public static HclNode NewNumber(int offset, string json) => new(HclNodeKind.Number, offset) { Text = json };

    public static HclNode NewBool(int offset, bool value) => new(HclNodeKind.Bool, offset) { Bool = value };

    /// <summary>How the value reads in an error message: "a string", "a block", …</summary>
    public string Describe() => Kind switch
    {
        HclNodeKind.Object => "a block",
        HclNodeKind.List => "a list",
        HclNodeKind.String => "a string",
        HclNodeKind.Number => "a number",
        _ => "a bool",
    };
}

/// <summary>One <c>key = value</c> or <c>key "label" { … }</c> item of an object.</summary>
/// <param name="Key">The key as written (unquoted).</param>
/// <param name="KeyOffset">Where the key starts.</param>
/// <param name="Value">The value; for a block with labels, objects nested one per label.</param>
internal sealed record HclItem(string Key, int KeyOffset, HclNode Value);
