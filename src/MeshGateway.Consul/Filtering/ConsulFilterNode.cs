using System.Text;

namespace MeshGateway.Consul.Filtering;

/// <summary>The matching operators of Consul's filter language (go-bexpr; Consul's "Filtering" API documentation).</summary>
internal enum ConsulFilterOperator
{
    /// <summary><c>Selector == Value</c>.</summary>
    Equal,

    /// <summary><c>Selector != Value</c>.</summary>
    NotEqual,

    /// <summary><c>Selector is empty</c>.</summary>
    IsEmpty,

    /// <summary><c>Selector is not empty</c>.</summary>
    IsNotEmpty,

    /// <summary><c>Value in Selector</c>.</summary>
    In,

    /// <summary><c>Value not in Selector</c>.</summary>
    NotIn,

    /// <summary><c>Selector contains Value</c>.</summary>
    Contains,

    /// <summary><c>Selector not contains Value</c>.</summary>
    NotContains,

    /// <summary><c>Selector matches Value</c> (a regular expression).</summary>
    Matches,

    /// <summary><c>Selector not matches Value</c>.</summary>
    NotMatches,
}

/// <summary>
/// One parsed filter expression: <c>or</c>, <c>and</c>, <c>not</c> and matching expressions. Immutable;
/// <see cref="ToString"/> prints it in a canonical form that parses back to the same tree.
/// </summary>
internal abstract class ConsulFilterNode
{
    /// <summary>The expression in canonical form: every sub-expression parenthesised, every value quoted.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }

    internal abstract void Write(StringBuilder builder);
}

/// <summary><c>Left or Right</c> / <c>Left and Right</c>.</summary>
internal abstract class ConsulFilterBinary(ConsulFilterNode left, ConsulFilterNode right, string keyword) : ConsulFilterNode
{
    public ConsulFilterNode Left { get; } = left;

    public ConsulFilterNode Right { get; } = right;

    internal override void Write(StringBuilder builder)
    {
        builder.Append('(');
        Left.Write(builder);
        builder.Append(' ').Append(keyword).Append(' ');
        Right.Write(builder);
        builder.Append(')');
    }
}

/// <summary><c>Left or Right</c>.</summary>
internal sealed class ConsulFilterOr(ConsulFilterNode left, ConsulFilterNode right) : ConsulFilterBinary(left, right, "or");

/// <summary><c>Left and Right</c>.</summary>
internal sealed class ConsulFilterAnd(ConsulFilterNode left, ConsulFilterNode right) : ConsulFilterBinary(left, right, "and");

/// <summary><c>not Operand</c>.</summary>
internal sealed class ConsulFilterNot(ConsulFilterNode operand) : ConsulFilterNode
{
    public ConsulFilterNode Operand { get; } = operand;

    internal override void Write(StringBuilder builder)
    {
        builder.Append("not ");
        Operand.Write(builder);
    }
}

/// <summary>A matching expression: a selector (<c>Service.Meta.version</c>), an operator and, except for emptiness checks, a value.</summary>
internal sealed class ConsulFilterMatch(IReadOnlyList<string> selector, ConsulFilterOperator op, string? value) : ConsulFilterNode
{
    /// <summary>The selector's parts: <c>["Service", "Meta", "version"]</c>.</summary>
    public IReadOnlyList<string> Selector { get; } = selector;

    public ConsulFilterOperator Operator { get; } = op;

    /// <summary>The value (unquoted); null for <c>is empty</c> / <c>is not empty</c>.</summary>
    public string? Value { get; } = value;

    internal override void Write(StringBuilder builder)
    {
        switch (Operator)
        {
            case ConsulFilterOperator.In or ConsulFilterOperator.NotIn:
                WriteValue(builder);
                builder.Append(Operator == ConsulFilterOperator.In ? " in " : " not in ");
                WriteSelector(builder);
                return;
            case ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty:
                WriteSelector(builder);
                builder.Append(Operator == ConsulFilterOperator.IsEmpty ? " is empty" : " is not empty");
                return;
        }

        WriteSelector(builder);
        builder.Append(Operator switch
        {
            ConsulFilterOperator.Equal => " == ",
            ConsulFilterOperator.NotEqual => " != ",
            ConsulFilterOperator.Contains => " contains ",
            ConsulFilterOperator.NotContains => " not contains ",
            ConsulFilterOperator.Matches => " matches ",
            _ => " not matches ",
        });
        WriteValue(builder);
    }

    private void WriteSelector(StringBuilder builder)
    {
        builder.Append(Selector[0]);
        for (int i = 1; i < Selector.Count; i++)
        {
            if (ConsulFilterParser.IsIdentifier(Selector[i]))
            {
                builder.Append('.').Append(Selector[i]);
            }
            else
            {
                builder.Append('[');
                Quote(builder, Selector[i]);
                builder.Append(']');
            }
        }
    }

    private void WriteValue(StringBuilder builder) => Quote(builder, Value ?? "");

    private static void Quote(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        builder.Append('"');
    }
}
