using System.Globalization;
using System.Text;

namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>
/// Parses HCL 1 (github.com/hashicorp/hcl v1, the syntax Consul's configuration and <c>consul config write</c>
/// read; not HCL 2 expressions) into a tree of <see cref="HclNode"/>: <c>key = value</c> attributes,
/// <c>key { … }</c> and <c>key "label" { … }</c> blocks, <c>{ … }</c> objects, <c>[ … ]</c> lists with optional
/// trailing commas, quoted strings with escapes, <c>&lt;&lt;EOF</c> / <c>&lt;&lt;-EOF</c> heredocs, numbers
/// (decimal, <c>0x</c> hex, leading-<c>0</c> octal, floats), <c>true</c>/<c>false</c>, and <c>#</c>, <c>//</c> and
/// <c>/* */</c> comments. Bad input is an <see cref="HclSyntaxError"/>, never an exception; nesting is bounded.
/// </summary>
internal ref struct HclParser
{
    /// <summary>The deepest nesting of blocks, objects, lists and block labels accepted.</summary>
    public const int MaxDepth = 48;

    private readonly ReadOnlySpan<byte> _s;
    private int _pos;
    private HclSyntaxError _error;

    private HclParser(ReadOnlySpan<byte> document)
    {
        _s = document;
        _pos = document.StartsWith("\uFEFF"u8) ? 3 : 0;
    }

    /// <summary>Parses a whole document (the top level is a body without braces).</summary>
    public static bool TryParse(ReadOnlySpan<byte> document, out HclNode root, out HclSyntaxError error)
    {
        var parser = new HclParser(document);
        HclNode? body = parser.ParseBody(depth: 1, openOffset: -1);
        root = body ?? HclNode.NewObject(0);
        error = parser._error;
        return body is not null;
    }

    private HclNode? Fail(int offset, string message)
    {
        _error = new HclSyntaxError(offset, message);
        return null;
    }

    /// <summary>Items until the end of the document (top level) or a closing brace (openOffset is the '{').</summary>
    private HclNode? ParseBody(int depth, int openOffset)
    {
        var body = HclNode.NewObject(openOffset < 0 ? 0 : openOffset);
        if (depth > MaxDepth)
        {
            return Fail(openOffset, $"nesting deeper than {MaxDepth} levels");
        }

        bool commaAllowed = false;
        while (true)
        {
            if (!SkipTrivia())
            {
                return null;
            }

            if (_pos >= _s.Length)
            {
                return openOffset < 0 ? body : Fail(openOffset, "unterminated block: this '{' has no matching '}'");
            }

            byte c = _s[_pos];
            if (c == '}')
            {
                if (openOffset < 0)
                {
                    return Fail(_pos, "unexpected '}': no block is open");
                }

                _pos++;
                return body;
            }

            if (c == ',')
            {
                if (!commaAllowed)
                {
                    return Fail(_pos, "unexpected ','");
                }

                commaAllowed = false;
                _pos++;
                continue;
            }

            if (ParseItem(depth) is not { } item)
            {
                return null;
            }

            body.Items.Add(item);
            commaAllowed = true;
        }
    }

    private HclItem? ParseItem(int depth)
    {
        int keyOffset = _pos;
        if (ParseKey("a key (a name or a quoted string)") is not { } key)
        {
            return null;
        }

        if (!SkipTrivia())
        {
            return null;
        }

        if (_pos < _s.Length && _s[_pos] == '=')
        {
            _pos++;
            return ParseValue(depth, key) is { } value ? new HclItem(key, keyOffset, value) : null;
        }

        // A block, with zero or more labels: key "a" "b" { … } is key { a { b { … } } } (HCL 1's object nesting).
        var labels = new List<(string Label, int Offset)>();
        while (_pos < _s.Length && (_s[_pos] == '"' || IsIdentStart(_s[_pos])))
        {
            int labelOffset = _pos;
            if (ParseKey("a block label") is not { } label || !SkipTrivia())
            {
                return null;
            }

            labels.Add((label, labelOffset));
        }

        if (_pos >= _s.Length || _s[_pos] != '{')
        {
            // Point at what follows the key: `mode "local"` lacks its '=' rather than its block.
            int at = labels.Count > 0 ? labels[0].Offset : _pos;
            Fail(at, $"expected '=' or '{{' after key '{key}', found {Found(at)}");
            return null;
        }

        int open = _pos;
        _pos++;
        if (ParseBody(depth + 1 + labels.Count, open) is not { } block)
        {
            return null;
        }

        for (int i = labels.Count - 1; i >= 0; i--)
        {
            var wrapper = HclNode.NewObject(labels[i].Offset);
            wrapper.Items.Add(new HclItem(labels[i].Label, labels[i].Offset, block));
            block = wrapper;
        }

        return new HclItem(key, keyOffset, block);
    }

    /// <summary>A name (<c>mesh_gateway</c>, <c>a.b-c</c>) or a quoted string.</summary>
    private string? ParseKey(string what)
    {
        if (_pos < _s.Length && _s[_pos] == '"')
        {
            return ParseQuoted();
        }

        if (_pos >= _s.Length || !IsIdentStart(_s[_pos]))
        {
            Fail(_pos, $"expected {what}, found {Found(_pos)}");
            return null;
        }

        int start = _pos;
        while (_pos < _s.Length && IsIdentPart(_s[_pos]))
        {
            _pos++;
        }

        return Encoding.UTF8.GetString(_s[start.._pos]);
    }

    private HclNode? ParseValue(int depth, string key)
    {
        if (!SkipTrivia())
        {
            return null;
        }

        if (_pos >= _s.Length)
        {
            return Fail(_pos, $"expected a value for key '{key}', found the end of the document");
        }

        int start = _pos;
        byte c = _s[_pos];
        switch (c)
        {
            case (byte)'"':
                return ParseQuoted() is { } text ? HclNode.NewString(start, text) : null;
            case (byte)'<' when _pos + 1 < _s.Length && _s[_pos + 1] == '<':
                return ParseHeredoc();
            case (byte)'[':
                return ParseList(depth + 1, key);
            case (byte)'{':
                _pos++;
                return ParseBody(depth + 1, start);
            case (byte)'-' or (byte)'+' or (>= (byte)'0' and <= (byte)'9'):
                return ParseNumber();
        }

        if (IsIdentStart(c))
        {
            while (_pos < _s.Length && IsIdentPart(_s[_pos]))
            {
                _pos++;
            }

            string word = Encoding.UTF8.GetString(_s[start.._pos]);
            return word switch
            {
                "true" => HclNode.NewBool(start, true),
                "false" => HclNode.NewBool(start, false),
                _ => Fail(start, $"expected a value for key '{key}', found '{word}' (strings are quoted: \"{word}\")"),
            };
        }

        return Fail(start, $"expected a value for key '{key}', found {Found(start)}");
    }

    private HclNode? ParseList(int depth, string key)
    {
        int open = _pos;
        if (depth > MaxDepth)
        {
            return Fail(open, $"nesting deeper than {MaxDepth} levels");
        }

        _pos++;
        var list = HclNode.NewList(open);
        bool needComma = false;
        while (true)
        {
            if (!SkipTrivia())
            {
                return null;
            }

            if (_pos >= _s.Length)
            {
                return Fail(open, $"unterminated list '{key}': this '[' has no matching ']'");
            }

            byte c = _s[_pos];
            if (c == ']')
            {
                _pos++;
                return list;
            }

            if (c == ',')
            {
                if (!needComma)
                {
                    return Fail(_pos, $"unexpected ',' in list '{key}'");
                }

                needComma = false;
                _pos++;
                continue;
            }

            if (needComma)
            {
                return Fail(_pos, $"expected ',' or ']' in list '{key}', found {Found(_pos)}");
            }

            if (ParseValue(depth, key) is not { } element)
            {
                return null;
            }

            list.Elements.Add(element);
            needComma = true;
        }
    }

    /// <summary>A double-quoted string: escapes decoded, <c>${…}</c> interpolations kept as written (HCL 1 keeps them for the caller).</summary>
    private string? ParseQuoted()
    {
        int start = _pos;
        _pos++;
        var text = new StringBuilder();
        int run = _pos;
        while (true)
        {
            if (_pos >= _s.Length)
            {
                Fail(start, "unterminated string: no closing '\"'");
                return null;
            }

            byte b = _s[_pos];
            if (b == '"')
            {
                text.Append(Encoding.UTF8.GetString(_s[run.._pos]));
                _pos++;
                return text.ToString();
            }

            if (b == '\n')
            {
                Fail(start, "unterminated string: a quoted string ends on its line (write \\n, or use a heredoc)");
                return null;
            }

            if (b == '$' && _pos + 1 < _s.Length && _s[_pos + 1] == '{')
            {
                if (!SkipInterpolation())
                {
                    return null;
                }

                continue;
            }

            if (b != '\\')
            {
                _pos++;
                continue;
            }

            text.Append(Encoding.UTF8.GetString(_s[run.._pos]));
            if (!AppendEscape(text))
            {
                return null;
            }

            run = _pos;
        }
    }

    /// <summary>Skips <c>${ … }</c>, which may hold braces and quoted strings of its own.</summary>
    private bool SkipInterpolation()
    {
        int start = _pos;
        _pos += 2;
        int braces = 1;
        bool quoted = false;
        while (_pos < _s.Length && _s[_pos] != '\n')
        {
            byte b = _s[_pos++];
            if (quoted)
            {
                if (b == '\\')
                {
                    _pos++;
                }
                else if (b == '"')
                {
                    quoted = false;
                }
            }
            else if (b == '"')
            {
                quoted = true;
            }
            else if (b == '{')
            {
                braces++;
            }
            else if (b == '}' && --braces == 0)
            {
                return true;
            }
        }

        Fail(start, "unterminated interpolation: this '${' has no matching '}'");
        return false;
    }

    /// <summary>One escape after a backslash (HCL 1 follows Go's: <c>\n \t \r \" \\ \a \b \f \v \uXXXX \UXXXXXXXX</c>).</summary>
    private bool AppendEscape(StringBuilder text)
    {
        int start = _pos;
        _pos++;
        if (_pos >= _s.Length || _s[_pos] == '\n')
        {
            Fail(start, "unterminated string: a backslash ends the line");
            return false;
        }

        byte e = _s[_pos++];
        switch (e)
        {
            case (byte)'n': text.Append('\n'); return true;
            case (byte)'t': text.Append('\t'); return true;
            case (byte)'r': text.Append('\r'); return true;
            case (byte)'"': text.Append('"'); return true;
            case (byte)'\\': text.Append('\\'); return true;
            case (byte)'a': text.Append('\a'); return true;
            case (byte)'b': text.Append('\b'); return true;
            case (byte)'f': text.Append('\f'); return true;
            case (byte)'v': text.Append('\v'); return true;
            case (byte)'u' or (byte)'U':
                int digits = e == 'u' ? 4 : 8;
                if (_s.Length - _pos < digits
                    || !uint.TryParse(_s.Slice(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
                {
                    Fail(start, $"invalid escape '\\{(char)e}': expected {digits} hex digits");
                    return false;
                }

                if (!Rune.IsValid(value))
                {
                    Fail(start, $"invalid escape '\\{(char)e}{Encoding.ASCII.GetString(_s.Slice(_pos, digits))}': not a Unicode character (surrogate or beyond U+10FFFF)");
                    return false;
                }

                _pos += digits;
                text.Append(new Rune(value).ToString());
                return true;
            default:
                Fail(start, $"invalid escape '\\{Describe(e, start + 1)}' in string (known: \\n \\t \\r \\\" \\\\ \\uXXXX)");
                return false;
        }
    }

    /// <summary><c>&lt;&lt;EOF</c> … <c>EOF</c> or <c>&lt;&lt;-EOF</c> (closing marker may be indented; that indentation is removed from every line).</summary>
    private HclNode? ParseHeredoc()
    {
        int start = _pos;
        _pos += 2;
        bool indented = _pos < _s.Length && _s[_pos] == '-';
        if (indented)
        {
            _pos++;
        }

        int markerStart = _pos;
        while (_pos < _s.Length && (IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] == '_'))
        {
            _pos++;
        }

        ReadOnlySpan<byte> marker = _s[markerStart.._pos];
        if (marker.IsEmpty)
        {
            return Fail(start, "heredoc needs a marker after '<<', e.g. <<EOF");
        }

        string markerText = Encoding.UTF8.GetString(marker);
        if (_pos < _s.Length && _s[_pos] == '\r')
        {
            _pos++;
        }

        if (_pos >= _s.Length || _s[_pos] != '\n')
        {
            return Fail(markerStart, $"heredoc marker '{markerText}' must end its line");
        }

        _pos++;
        int contentStart = _pos;
        var lines = new List<(int Start, int End)>();
        while (true)
        {
            int lineStart = _pos;
            int newline = _s[lineStart..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? _s.Length : lineStart + newline;
            ReadOnlySpan<byte> line = _s[lineStart..lineEnd];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            ReadOnlySpan<byte> trimmed = indented ? line.TrimStart(" \t"u8) : line;
            if (trimmed.SequenceEqual(marker))
            {
                _pos = lineEnd;
                return HclNode.NewString(start, HeredocText(lines, line[..(line.Length - trimmed.Length)], indented));
            }

            if (newline < 0)
            {
                return Fail(start, $"unterminated heredoc: no closing line '{markerText}'");
            }

            lines.Add((lineStart, lineEnd + 1));
            _pos = lineEnd + 1;
        }
    }

    /// <summary>The lines before the closing marker, each with its newline; for <c>&lt;&lt;-</c>, without the closing marker's indentation when every non-blank line has it.</summary>
    private string HeredocText(List<(int Start, int End)> lines, ReadOnlySpan<byte> prefix, bool indented)
    {
        bool strip = indented && prefix.Length > 0;
        foreach ((int start, int end) in lines)
        {
            ReadOnlySpan<byte> line = _s[start..end];
            if (strip && !line.StartsWith(prefix) && !line.TrimEnd("\r\n"u8).IsEmpty)
            {
                strip = false;
            }
        }

        var text = new StringBuilder();
        foreach ((int start, int end) in lines)
        {
            ReadOnlySpan<byte> line = _s[start..end];
            if (strip && line.StartsWith(prefix))
            {
                line = line[prefix.Length..];
            }

            text.Append(Encoding.UTF8.GetString(line));
        }

        return text.ToString();
    }

    /// <summary>An integer (decimal, <c>0x</c> hex, leading-<c>0</c> octal as Go's <c>ParseInt(s, 0, 64)</c>) or a float; written as JSON number text.</summary>
    private HclNode? ParseNumber()
    {
        int start = _pos;
        if (_s[_pos] is (byte)'-' or (byte)'+')
        {
            _pos++;
        }

        while (_pos < _s.Length && (IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] is (byte)'.' or (byte)'_'
            || (_s[_pos] is (byte)'-' or (byte)'+' && (_s[_pos - 1] | 0x20) == 'e' && !IsHex(_s[start..]))))
        {
            _pos++;
        }

        string literal = Encoding.UTF8.GetString(_s[start.._pos]);
        return ToJsonNumber(literal) is { } json
            ? HclNode.NewNumber(start, json)
            : Fail(start, $"invalid number '{literal}'");
    }

    private static bool IsHex(ReadOnlySpan<byte> number)
    {
        ReadOnlySpan<byte> digits = number.TrimStart("+-"u8);
        return digits.Length > 1 && digits[0] == '0' && (digits[1] | 0x20) == 'x';
    }

    private static string? ToJsonNumber(string literal)
    {
        bool negative = literal.StartsWith('-');
        string digits = literal.TrimStart('+', '-');
        if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]))
        {
            return null;
        }

        ulong magnitude;
        if (digits.Length > 2 && (digits[1] | 0x20) == 'x')
        {
            if (!ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
            {
                return null;
            }
        }
        else if (digits.AsSpan().ContainsAny('.', 'e', 'E'))
        {
            return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                && !digits.EndsWith('.')
                ? d.ToString("R", CultureInfo.InvariantCulture)
                : null;
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            magnitude = 0;
            foreach (char ch in digits.AsSpan(1))
            {
                if (ch is < '0' or > '7' || magnitude > (ulong.MaxValue >> 3))
                {
                    return null;
                }

                magnitude = (magnitude << 3) | (uint)(ch - '0');
            }
        }
        else if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            return null;
        }

        // Go's ParseInt(s, 0, 64): the value must fit a signed 64-bit integer.
        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            return null;
        }

        return negative ? (magnitude == 1UL << 63 ? long.MinValue.ToString(CultureInfo.InvariantCulture) : "-" + magnitude.ToString(CultureInfo.InvariantCulture))
            : magnitude.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Skips white space and comments; false (with an error) for an unterminated <c>/*</c>.</summary>
    private bool SkipTrivia()
    {
        _pos = SkipTrivia(_s, _pos, out int unterminated);
        if (unterminated >= 0)
        {
            Fail(unterminated, "unterminated comment: this '/*' has no closing '*/'");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The offset of the first byte at or after <paramref name="offset"/> that is not white space or a <c>#</c>,
    /// <c>//</c> or <c>/* */</c> comment; <paramref name="unterminatedComment"/> is where a <c>/*</c> without its
    /// <c>*/</c> starts (then the result is the end of the document), or -1.
    /// </summary>
    public static int SkipTrivia(ReadOnlySpan<byte> s, int offset, out int unterminatedComment)
    {
        unterminatedComment = -1;
        while (offset < s.Length)
        {
            byte b = s[offset];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                offset++;
            }
            else if (b == '#' || (b == '/' && offset + 1 < s.Length && s[offset + 1] == '/'))
            {
                int newline = s[offset..].IndexOf((byte)'\n');
                offset = newline < 0 ? s.Length : offset + newline + 1;
            }
            else if (b == '/' && offset + 1 < s.Length && s[offset + 1] == '*')
            {
                int end = s[(offset + 2)..].IndexOf("*/"u8);
                if (end < 0)
                {
                    unterminatedComment = offset;
                    return s.Length;
                }

                offset += 2 + end + 2;
            }
            else
            {
                break;
            }
        }

        return offset;
    }

    private readonly string Found(int offset) => offset >= _s.Length ? "the end of the document" : _s[offset] switch
    {
        (byte)'"' => "a string",
        (byte)'\n' or (byte)'\r' => "the end of the line",
        byte b when IsIdentStart(b) => "'" + Word(offset) + "'",
        _ => "'" + Describe(_s[offset], offset) + "'",
    };

    /// <summary>The character at <paramref name="offset"/> for a message (control characters and invalid bytes as hex).</summary>
    private readonly string Describe(byte b, int offset)
    {
        if (b is >= 0x20 and < 0x7F)
        {
            return ((char)b).ToString();
        }

        if (b >= 0x80 && Rune.DecodeFromUtf8(_s[offset..], out Rune rune, out _) == System.Buffers.OperationStatus.Done && !Rune.IsControl(rune))
        {
            return rune.ToString();
        }

        return $"0x{b:X2}";
    }

    private readonly string Word(int offset)
    {
        int end = offset;
        while (end < _s.Length && end - offset < 40 && IsIdentPart(_s[end]))
        {
            end++;
        }

        return Encoding.UTF8.GetString(_s[offset..end]);
    }

    private static bool IsIdentStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or >= 0x80;

    private static bool IsIdentPart(byte b) => IsIdentStart(b) || b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.';

    private static bool IsAsciiLetterOrDigit(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9');
}
