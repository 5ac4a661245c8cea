using System.Globalization;
using System.Text;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// Reads the first object literal of a JavaScript source whose values are all string literals
/// (<c>export const x = {"key": "value", …}</c>), as a JavaScript engine would: comments, single or double quotes,
/// escapes (<c>\n</c>, <c>\"</c>, <c>\xHH</c>, <c>\uHHHH</c>, <c>\u{H…}</c>, line continuations), unquoted identifier
/// keys and a trailing comma. Anything after the closing brace is ignored.
/// </summary>
internal sealed class JavaScriptObjectLiteral
{
    private readonly string text;
    private readonly string path;
    private readonly List<int> lineStarts = [0];
    private int pos;

    private JavaScriptObjectLiteral(string text, string path)
    {
        (this.text, this.path) = (text, path);
        for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
            lineStarts.Add(i + 1);
    }

    /// <summary>One property: its key, its string value and the 1-based line the key starts on.</summary>
    internal readonly record struct Property(string Key, string Value, int Line);

    /// <summary>The properties of the first object literal in <paramref name="text"/>, in source order.</summary>
    /// <param name="text">The JavaScript source.</param>
    /// <param name="path">The file name used in error messages.</param>
    /// <exception cref="InvalidDataException">There is no object literal, or it is malformed or has a value that is not a string literal (the message gives line and column).</exception>
    internal static IReadOnlyList<Property> Parse(string text, string path) => new JavaScriptObjectLiteral(text, path).ParseObject();

    private List<Property> ParseObject()
    {
        // Skip to the first '{' outside comments and strings (a JSDoc type such as {{ [word: string]: string }} comes first).
        while (true)
        {
            SkipTrivia();
            if (pos >= text.Length)
                throw Error("expected an object literal '{', found none");
            char c = text[pos];
            if (c == '{')
                break;
            if (c is '"' or '\'' or '`')
                ReadString();
            else
                pos++;
        }
        pos++;

        var properties = new List<Property>();
        while (true)
        {
            SkipTrivia();
            if (Peek() == '}')
                break;
            int line = LineAt(pos);
            string key = Peek() is '"' or '\'' ? ReadString() : ReadIdentifier();
            SkipTrivia();
            Expect(':');
            SkipTrivia();
            if (Peek() is not ('"' or '\''))
                throw Error($"expected a string literal as the value of \"{key}\", found {Describe()}");
            properties.Add(new Property(key, ReadString(), line));
            SkipTrivia();
            if (Peek() == ',')
            {
                pos++;
                continue;
            }
            if (Peek() == '}')
                break;
            throw Error($"expected ',' or '}}' after the value of \"{key}\", found {Describe()}");
        }
        return properties;
    }

    private string ReadString()
    {
        char quote = text[pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.Length || (quote != '`' && text[pos] is '\n' or '\r'))
                throw Error($"unterminated string literal (opened with {quote})");
            char c = text[pos++];
            if (c == quote)
                return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (pos >= text.Length)
                throw Error("unterminated escape sequence");
            char e = text[pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0' when pos >= text.Length || !char.IsAsciiDigit(text[pos]): sb.Append('\0'); break;
                case 'x': sb.Append((char)ReadHex(2)); break;
                case 'u' when Peek() == '{':
                    pos++;
                    int end = text.IndexOf('}', pos);
                    if (end < 0 || end == pos || end - pos > 6)
                        throw Error("malformed \\u{…} escape");
                    int codePoint = ParseHex(text[pos..end]);
                    if (codePoint > 0x10FFFF)
                        throw Error($"\\u{{{text[pos..end]}}} is beyond U+10FFFF");
                    pos = end + 1;
                    sb.Append(char.ConvertFromUtf32(codePoint));
                    break;
                case 'u': sb.Append((char)ReadHex(4)); break;
                case '\r':
                    if (Peek() == '\n')
                        pos++;
                    break;   // line continuation
                case '\n': break;
                default: sb.Append(e); break;   // \" \' \\ and identity escapes
            }
        }
    }

    private int ReadHex(int digits)
    {
        if (pos + digits > text.Length)
            throw Error($"expected {digits} hexadecimal digits in an escape");
        int value = ParseHex(text.Substring(pos, digits));
        pos += digits;
        return value;
    }

    private int ParseHex(string digits) => int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
        ? value
        : throw Error($"'{digits}' is not hexadecimal in an escape");

    private string ReadIdentifier()
    {
        int start = pos;
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '_' or '$'))
            pos++;
        return pos > start ? text[start..pos] : throw Error($"expected a property key, found {Describe()}");
    }

    private void SkipTrivia()
    {
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]))
                pos++;
            else if (text.AsSpan(pos).StartsWith("//"))
                pos = text.IndexOf('\n', pos) is int n and >= 0 ? n + 1 : text.Length;
            else if (text.AsSpan(pos).StartsWith("/*"))
                pos = text.IndexOf("*/", pos + 2, StringComparison.Ordinal) is int n and >= 0 ? n + 2 : throw Error("unterminated /* comment");
            else
                return;
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c)
            throw Error($"expected '{c}', found {Describe()}");
        pos++;
    }

    private char? Peek() => pos < text.Length ? text[pos] : null;

    private string Describe() => pos < text.Length ? $"'{text[pos]}'" : "the end of the file";

    private int LineAt(int at)
    {
        int i = lineStarts.BinarySearch(at);
        return i >= 0 ? i + 1 : ~i;
    }

    private InvalidDataException Error(string message)
    {
        int line = LineAt(pos);
        return new InvalidDataException($"{path}, line {line}, column {pos - lineStarts[line - 1] + 1}: {message}.");
    }
}
