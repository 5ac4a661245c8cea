namespace MlNetRnn.Transforms.Interpretability;

/// <summary>
/// A per-character property of a text (inside double quotes, position in the line, …) that <see cref="UnitSearch"/>
/// looks for among hidden units, and that <see cref="ActivationHtml"/> marks in its pictures.
/// </summary>
/// <remarks>
/// <para>The value at position p describes the text up to and including character p, which is all a left-to-right RNN
/// has read when it produces its state at p. So spans include their opening delimiter and exclude their closing one:
/// in <c>say "hi" now</c>, the opening <c>"</c>, <c>h</c> and <c>i</c> are inside double quotes, the closing <c>"</c> is not.
/// The exceptions: comments cover <c>//</c> through the end of its line (newline excluded) and <c>/*</c> through <c>*/</c>,
/// and <see cref="IndentationDepth"/> gives every character of a line that line's indentation.</para>
/// <para>The code properties (<see cref="InsideComment"/>, <see cref="InsideString"/>, <see cref="InsideIfCondition"/>,
/// <see cref="IndentationDepth"/>) share one single-pass lexer for C-like code (JavaScript). It does not recognise
/// regular-expression literals (a quote inside <c>/…/</c> starts a string) and counts a template's <c>${…}</c> as string.</para>
/// <para>Instances are immutable and thread-safe if the user's function is.</para>
/// </remarks>
public sealed class CharProperty
{
    private readonly Func<string, double[]> evaluate;

    private CharProperty(string name, CharPropertyKind kind, Func<string, double[]> evaluate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        this.evaluate = evaluate;
    }

    /// <summary>The property's name, for tables and pictures.</summary>
    public string Name { get; }

    /// <summary>Whether the property is yes/no (<see cref="CharPropertyKind.Binary"/>) or a number.</summary>
    public CharPropertyKind Kind { get; }

    /// <summary>Inside double quotes, straight or typographic: each straight <c>"</c> toggles, a left quote <c>“</c>
    /// opens and a right quote <c>”</c> closes (a paragraph that reopens a quotation without closing the last one stays
    /// inside). The opening quote is inside, the closing one is not; there are no escapes, so a quotation left open runs
    /// until the next closing quote.</summary>
    /// <remarks>Prose such as Moby Dick quotes with <c>“</c> and <c>”</c> only; straight-quote-only text (most code
    /// and ASCII prose) toggles on <c>"</c>.</remarks>
    public static CharProperty InsideDoubleQuotes { get; } = Binary("inside \"quotes\"", text =>
    {
        var values = new bool[text.Length];
        bool inside = false;
        for (int i = 0; i < text.Length; i++)
        {
            inside = text[i] switch
            {
                '"' => !inside,
                '\u201C' => true,
                '\u201D' => false,
                _ => inside,
            };
            values[i] = inside;
        }
        return values;
    });

    /// <summary>Inside parentheses: nesting depth after the character &gt; 0 (an opening <c>(</c> is inside, the <c>)</c>
    /// that closes the outermost pair is not; an unmatched <c>)</c> is ignored).</summary>
    public static CharProperty InsideParentheses { get; } = Binary("inside (parens)", text =>
    {
        var values = new bool[text.Length];
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth = Math.Max(0, depth - 1);
            values[i] = depth > 0;
        }
        return values;
    });

    /// <summary>Position in the line: characters since the last <c>'\n'</c>, so a line's first character is 0 and the
    /// newline that ends a line holds the line's length.</summary>
    public static CharProperty PositionInLine { get; } = Numeric("position in line", text =>
    {
        var values = new double[text.Length];
        int column = 0;
        for (int i = 0; i < text.Length; i++)
        {
            values[i] = column;
            column = text[i] == '\n' ? 0 : column + 1;
        }
        return values;
    });

    /// <summary>Code: inside a <c>// line comment</c> (through the end of its line, newline excluded) or a
    /// <c>/* block comment */</c> (both delimiters included). Quotes inside comments start no string.</summary>
    public static CharProperty InsideComment { get; } = Binary("code: inside comment", text => LexedCode.Lex(text).Comment);

    /// <summary>Code: inside a <c>'…'</c>, <c>"…"</c> or <c>`…`</c> string, backslash escapes honoured, opening quote
    /// included and closing quote excluded; <c>//</c> inside a string starts no comment, quotes inside comments start no string.</summary>
    public static CharProperty InsideString { get; } = Binary("code: inside string", text => LexedCode.Lex(text).String);

    /// <summary>Code: inside the condition of an <c>if</c>, from the <c>(</c> after the keyword (included) to its matching
    /// <c>)</c> (excluded), nested parentheses counted; the keyword itself is outside.</summary>
    public static CharProperty InsideIfCondition { get; } = Binary("code: inside if (…)", text => LexedCode.Lex(text).IfCondition);

    /// <summary>Code: indentation of the character's line in columns (leading spaces count 1, tabs count 4); a newline
    /// belongs to the line it ends. Lines inside block comments and template strings count like any other. The whole line gets
    /// the value, so its leading whitespace carries a width a left-to-right reader only knows at the first non-blank character.</summary>
    public static CharProperty IndentationDepth { get; } = Numeric("code: indentation", text => LexedCode.Lex(text).Indentation);

    /// <summary>The prose properties: <see cref="InsideDoubleQuotes"/>, <see cref="InsideParentheses"/>, <see cref="PositionInLine"/>.</summary>
    public static IReadOnlyList<CharProperty> Prose { get; } = [InsideDoubleQuotes, InsideParentheses, PositionInLine];

    /// <summary>The code properties: <see cref="InsideComment"/>, <see cref="InsideString"/>, <see cref="InsideIfCondition"/>,
    /// <see cref="IndentationDepth"/>.</summary>
    public static IReadOnlyList<CharProperty> Code { get; } = [InsideComment, InsideString, InsideIfCondition, IndentationDepth];

    /// <summary>Makes a yes/no property from a predicate over the whole text.</summary>
    /// <param name="name">The property's name, for tables and pictures.</param>
    /// <param name="predicate">Returns one value per character (per UTF-16 code unit) of the text it is given.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="predicate"/> is null.</exception>
    public static CharProperty Binary(string name, Func<string, bool[]> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new CharProperty(name, CharPropertyKind.Binary, text => predicate(text) is { } holds ? Array.ConvertAll(holds, h => h ? 1.0 : 0.0) : null!);
    }

    /// <summary>Makes a numeric property from a function over the whole text.</summary>
    /// <param name="name">The property's name, for tables and pictures.</param>
    /// <param name="values">Returns one finite value per character (per UTF-16 code unit) of the text it is given.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="values"/> is null.</exception>
    public static CharProperty Numeric(string name, Func<string, double[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new CharProperty(name, CharPropertyKind.Numeric, values);
    }

    /// <summary>Evaluates the property on a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>One value per character: 0 or 1 for a binary property, the number for a numeric one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The property's function returned null, the wrong number of values,
    /// or a value that is not finite.</exception>
    public double[] Evaluate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double[] values = evaluate(text) ?? throw new InvalidOperationException($"Property '{Name}' returned null for a text of {text.Length} characters.");
        if (values.Length != text.Length)
            throw new InvalidOperationException($"Property '{Name}' returned {values.Length} values for a text of {text.Length} characters; expected one per character.");
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new InvalidOperationException($"Property '{Name}' returned {values[bad]} at position {bad}; expected a finite number.");
        return values;
    }

    /// <summary>Evaluates a binary property as yes/no per character.</summary>
    /// <param name="text">The text.</param>
    /// <returns>One value per character: whether the property holds there.</returns>
    /// <exception cref="InvalidOperationException">The property is numeric, or its function misbehaved (see <see cref="Evaluate"/>).</exception>
    public bool[] Holds(string text)
    {
        if (Kind != CharPropertyKind.Binary)
            throw new InvalidOperationException($"Property '{Name}' is numeric; only a binary property holds or not at a character.");
        return Array.ConvertAll(Evaluate(text), v => v != 0);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
