using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MeshGateway.Consul.Filtering;

/// <summary>
/// Parses Consul's filter language (go-bexpr, as Consul's "Filtering" API documentation describes it), the part a
/// <c>service-resolver</c> subset's <c>Filter</c> uses: matching expressions (<c>==</c>, <c>!=</c>, <c>is empty</c>,
/// <c>is not empty</c>, <c>in</c>, <c>not in</c>, <c>contains</c>, <c>not contains</c>, <c>matches</c>,
/// <c>not matches</c>) joined by <c>or</c>, <c>and</c>, <c>not</c> and parentheses, with the usual precedence
/// (<c>not</c> binds tightest, then <c>and</c>, then <c>or</c>). Selectors are dotted
/// (<c>Service.Meta.version</c>) or indexed (<c>Service.Meta["build-id"]</c>); values are quoted (<c>"v1"</c>, with
/// Go escapes, or <c>`raw`</c>) or bare words of letters, digits, <c>_</c> and <c>.</c> (a leading <c>-</c> for
/// numbers). Never throws: bad input is a message with its character position.
/// </summary>
internal sealed class ConsulFilterParser
{
    /// <summary>The longest filter read (Consul's filters are a line or two).</summary>
    public const int MaxLength = 4096;

    /// <summary>The deepest nesting of parentheses and <c>not</c>.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private string? _error;

    private ConsulFilterParser(string text)
    {
        _text = text;
    }

    /// <summary>Parses <paramref name="text"/>; false with a message (naming the character position) when it is not a filter.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ConsulFilterNode? filter, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        filter = null;
        if (text.Length > MaxLength)
        {
            error = $"the filter is longer than {MaxLength} characters";
            return false;
        }

        var parser = new ConsulFilterParser(text);
        ConsulFilterNode? node = parser.ParseOr(0);
        if (node is not null)
        {
            parser.SkipSpace();
            if (parser._pos < text.Length)
            {
                node = parser.Fail($"unexpected {parser.Describe()}; expected 'and', 'or' or the end");
            }
        }

        error = parser._error;
        filter = node;
        return node is not null;
    }

    /// <summary>Whether a selector part prints in dotted form (letters, digits and <c>_</c>).</summary>
    public static bool IsIdentifier(string part) => part.Length > 0 && part.All(IsWordChar);

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private ConsulFilterNode? ParseOr(int depth)
    {
        ConsulFilterNode? left = ParseAnd(depth);
        while (left is not null && TakeKeyword("or"))
        {
            ConsulFilterNode? right = ParseAnd(depth);
            left = right is null ? null : new ConsulFilterOr(left, right);
        }

        return left;
    }

    private ConsulFilterNode? ParseAnd(int depth)
    {
        ConsulFilterNode? left = ParseNot(depth);
        while (left is not null && TakeKeyword("and"))
        {
            ConsulFilterNode? right = ParseNot(depth);
            left = right is null ? null : new ConsulFilterAnd(left, right);
        }

        return left;
    }

    private ConsulFilterNode? ParseNot(int depth)
    {
        if (depth > MaxDepth)
        {
            return Fail($"the filter nests deeper than {MaxDepth} levels");
        }

        if (TakeKeyword("not"))
        {
            return ParseNot(depth + 1) is { } operand ? new ConsulFilterNot(operand) : null;
        }

        SkipSpace();
        if (Peek() == '(')
        {
            _pos++;
            ConsulFilterNode? inner = ParseOr(depth + 1);
            SkipSpace();
            if (inner is null)
            {
                return null;
            }

            if (Peek() != ')')
            {
                return Fail($"unexpected {Describe()}; expected ')'");
            }

            _pos++;
            return inner;
        }

        return ParseMatch();
    }

    /// <summary><c>selector op value</c>, <c>selector is [not] empty</c>, or <c>value [not] in selector</c>.</summary>
    private ConsulFilterNode? ParseMatch()
    {
        SkipSpace();
        int start = _pos;
        if (!TryReadOperand(out string? word, out bool quoted))
        {
            return null;
        }

        if (TakeKeyword("in"))
        {
            return ParseSelector() is { } selector ? new ConsulFilterMatch(selector, ConsulFilterOperator.In, word) : null;
        }

        int beforeNot = _pos;
        if (TakeKeyword("not") && TakeKeyword("in"))
        {
            return ParseSelector() is { } selector ? new ConsulFilterMatch(selector, ConsulFilterOperator.NotIn, word) : null;
        }

        _pos = beforeNot;
        if (quoted)
        {
            _pos = start;
            return Fail($"unexpected {Describe()}; expected a selector (Service.…, Node.…), or a value followed by 'in' or 'not in'");
        }

        _pos = start;
        if (ParseSelector() is not { } path)
        {
            return null;
        }

        SkipSpace();
        if (Take("=="))
        {
            return ParseValue() is { } value ? new ConsulFilterMatch(path, ConsulFilterOperator.Equal, value) : null;
        }

        if (Take("!="))
        {
            return ParseValue() is { } value ? new ConsulFilterMatch(path, ConsulFilterOperator.NotEqual, value) : null;
        }

        if (TakeKeyword("is"))
        {
            bool negated = TakeKeyword("not");
            return TakeKeyword("empty")
                ? new ConsulFilterMatch(path, negated ? ConsulFilterOperator.IsNotEmpty : ConsulFilterOperator.IsEmpty, null)
                : Fail($"unexpected {Describe()}; expected 'empty'{(negated ? "" : " or 'not empty'")}");
        }

        bool not = TakeKeyword("not");
        ConsulFilterOperator? op = TakeKeyword("contains") ? (not ? ConsulFilterOperator.NotContains : ConsulFilterOperator.Contains)
            : TakeKeyword("matches") ? (not ? ConsulFilterOperator.NotMatches : ConsulFilterOperator.Matches)
            : null;
        if (op is null)
        {
            return Fail($"unexpected {Describe()}; expected {(not ? "'contains' or 'matches'" : "'==', '!=', 'is', 'contains', 'matches', 'not', 'in'")}");
        }

        return ParseValue() is { } operand ? new ConsulFilterMatch(path, op.Value, operand) : null;
    }

    private List<string>? ParseSelector()
    {
        SkipSpace();
        int start = _pos;
        if (start >= _text.Length || !char.IsAsciiLetter(_text[start]))
        {
            Fail($"unexpected {Describe()}; expected a selector (Service.…, Node.…)");
            return null;
        }

        var parts = new List<string>();
        while (true)
        {
            int wordStart = _pos;
            while (_pos < _text.Length && IsWordChar(_text[_pos]))
            {
                _pos++;
            }

            if (_pos == wordStart)
            {
                Fail($"unexpected {Describe()}; expected a selector part");
                return null;
            }

            parts.Add(_text[wordStart.._pos]);
            while (Peek() == '[')
            {
                _pos++;
                SkipSpace();
                if (!TryReadQuoted(out string? key))
                {
                    return null;
                }

                SkipSpace();
                if (Peek() != ']')
                {
                    Fail($"unexpected {Describe()}; expected ']'");
                    return null;
                }

                _pos++;
                parts.Add(key);
            }

            if (Peek() != '.')
            {
                return parts;
            }

            _pos++;
        }
    }

    private string? ParseValue()
    {
        SkipSpace();
        return TryReadOperand(out string? value, out _) ? value : null;
    }

    /// <summary>A quoted string, or a bare word: letters, digits, '_' and '.', with an optional leading '-'.</summary>
    private bool TryReadOperand([NotNullWhen(true)] out string? value, out bool quoted)
    {
        SkipSpace();
        quoted = Peek() is '"' or '`';
        if (quoted)
        {
            return TryReadQuoted(out value);
        }

        int start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        while (_pos < _text.Length && (IsWordChar(_text[_pos]) || _text[_pos] == '.'))
        {
            _pos++;
        }

        if (_pos == start || _text[(_pos - 1)..].StartsWith('-'))
        {
            _pos = start;
            value = null;
            Fail($"unexpected {Describe()}; expected a value (a quoted string or a word)");
            return false;
        }

        value = _text[start.._pos];
        return true;
    }

    private bool TryReadQuoted([NotNullWhen(true)] out string? value)
    {
        value = null;
        char quote = Peek();
        if (quote is not ('"' or '`'))
        {
            Fail($"unexpected {Describe()}; expected a quoted string");
            return false;
        }

        int start = _pos++;
        var text = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            char c = _text[_pos++];
            if (c != '\\' || quote == '`')
            {
                text.Append(c);
                continue;
            }

            if (!TryReadEscape(text))
            {
                return false;
            }
        }

        if (_pos >= _text.Length)
        {
            _pos = start;
            Fail("unterminated string");
            return false;
        }

        _pos++;
        value = text.ToString();
        return true;
    }

    /// <summary>Go's string escapes that a filter needs: \" \\ \/ \n \r \t and \uXXXX.</summary>
    private bool TryReadEscape(StringBuilder text)
    {
        char escape = Peek();
        _pos++;
        switch (escape)
        {
            case '"' or '\\' or '/':
                text.Append(escape);
                return true;
            case 'n':
                text.Append('\n');
                return true;
            case 'r':
                text.Append('\r');
                return true;
            case 't':
                text.Append('\t');
                return true;
            case 'u' when _pos + 4 <= _text.Length
                && ushort.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                text.Append((char)code);
                _pos += 4;
                return true;
            default:
                _pos -= 2;
                Fail("invalid escape in a string (\\\", \\\\, \\/, \\n, \\r, \\t and \\uXXXX are allowed)");
                return false;
        }
    }

    /// <summary>Takes a keyword that is a whole word (not the start of a longer one).</summary>
    private bool TakeKeyword(string keyword)
    {
        SkipSpace();
        int end = _pos + keyword.Length;
        if (end <= _text.Length
            && string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0
            && (end == _text.Length || !(IsWordChar(_text[end]) || _text[end] == '.')))
        {
            _pos = end;
            return true;
        }

        return false;
    }

    private bool Take(string symbol)
    {
        if (string.CompareOrdinal(_text, _pos, symbol, 0, symbol.Length) == 0 && _pos + symbol.Length <= _text.Length)
        {
            _pos += symbol.Length;
            return true;
        }

        return false;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\r' or '\n')
        {
            _pos++;
        }
    }

    /// <summary>What is at the current position, for a message: the end, or the character (escaped when not printable) and its 1-based position.</summary>
    private string Describe()
    {
        if (_pos >= _text.Length)
        {
            return "end of filter";
        }

        char c = _text[_pos];
        string shown = c is >= ' ' and < (char)0x7F ? $"'{c}'" : $"U+{(int)c:X4}";
        return $"{shown} at character {_pos + 1}";
    }

    private ConsulFilterNode? Fail(string message)
    {
        _error ??= message;
        return null;
    }
}
