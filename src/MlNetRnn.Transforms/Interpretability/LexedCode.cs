namespace MlNetRnn.Transforms.Interpretability;

/// <summary>
/// One left-to-right pass over C-like code (JavaScript) that labels every character: inside a comment, inside a string,
/// inside an <c>if (…)</c> condition, and its line's indentation. All code properties of <see cref="CharProperty"/> read it.
/// </summary>
/// <remarks>
/// Spans include their opening delimiter and exclude their closing one (what a left-to-right reader knows after reading
/// the character), except comments, which cover <c>//</c> up to the newline and <c>/*</c> through <c>*/</c>.
/// Not recognised: regular-expression literals (a quote inside <c>/…/</c> starts a string) and code inside a template's
/// <c>${…}</c> (counted as string). An unescaped newline ends a <c>'…'</c> or <c>"…"</c> string (JavaScript forbids it there).
/// </remarks>
internal sealed class LexedCode
{
    /// <summary>Columns a tab adds to a line's indentation.</summary>
    internal const int TabWidth = 4;

    private enum State { Code, LineComment, BlockComment, String }

    private LexedCode(int length)
    {
        Comment = new bool[length];
        String = new bool[length];
        IfCondition = new bool[length];
        Indentation = new double[length];
    }

    internal bool[] Comment { get; }

    internal bool[] String { get; }

    internal bool[] IfCondition { get; }

    /// <summary>The width of the leading whitespace of each character's line (space = 1, tab = <see cref="TabWidth"/>); a newline belongs to the line it ends.</summary>
    internal double[] Indentation { get; }

    internal static LexedCode Lex(string text)
    {
        var lexed = new LexedCode(text.Length);
        var state = State.Code;
        char quote = '\0';
        int parenDepth = 0, indentation = 0;
        bool ifPending = false;
        var conditionDepths = new Stack<int>(); // paren depth outside each open if-condition

        for (int i = 0; i < text.Length; i++)
        {
            int first = i; // a step may consume two characters (i++): both get the line's and the condition's state
            char ch = text[i];
            if (i == 0 || text[i - 1] == '\n')
                indentation = LineIndentation(text, i);
            bool inCondition = conditionDepths.Count > 0;

            switch (state)
            {
                case State.Code:
                    if (ch == '/' && Next(text, i) == '/')
                    {
                        state = State.LineComment;
                        lexed.Comment[i] = true;
                    }
                    else if (ch == '/' && Next(text, i) == '*')
                    {
                        state = State.BlockComment;
                        lexed.Comment[i] = lexed.Comment[i + 1] = true;
                        i++; // '*' cannot also close the comment
                    }
                    else if (ch is '"' or '\'' or '`')
                    {
                        state = State.String;
                        quote = ch;
                        lexed.String[i] = true;
                        ifPending = false;
                    }
                    else if (ch == '(')
                    {
                        if (ifPending)
                            conditionDepths.Push(parenDepth);
                        parenDepth++;
                        ifPending = false;
                        inCondition = conditionDepths.Count > 0;
                    }
                    else if (ch == ')')
                    {
                        parenDepth = Math.Max(0, parenDepth - 1);
                        while (conditionDepths.Count > 0 && conditionDepths.Peek() >= parenDepth)
                            conditionDepths.Pop();
                        inCondition = conditionDepths.Count > 0;
                        ifPending = false;
                    }
                    else if (IsKeywordIf(text, i))
                    {
                        i++;
                        ifPending = true;
                    }
                    else if (!char.IsWhiteSpace(ch))
                    {
                        ifPending = false;
                    }
                    break;

                case State.LineComment:
                    if (ch == '\n')
                        state = State.Code;
                    else
                        lexed.Comment[i] = true;
                    break;

                case State.BlockComment:
                    lexed.Comment[i] = true;
                    if (ch == '*' && Next(text, i) == '/')
                    {
                        lexed.Comment[i + 1] = true;
                        i++;
                        state = State.Code;
                    }
                    break;

                case State.String:
                    if (ch == '\\' && i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        lexed.String[i] = lexed.String[i + 1] = true; // the escape and the escaped character
                        i++;
                    }
                    else if (ch == quote || (ch == '\n' && quote != '`'))
                    {
                        state = State.Code; // closing quote excluded
                    }
                    else
                    {
                        lexed.String[i] = true;
                    }
                    break;
            }
            for (int j = first; j <= i; j++)
            {
                lexed.IfCondition[j] = inCondition;
                lexed.Indentation[j] = indentation;
            }
        }
        return lexed;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static bool IsIdentifierChar(char ch) => char.IsLetterOrDigit(ch) || ch is '_' or '$';

    private static bool IsKeywordIf(string text, int i) =>
        text[i] == 'i' && Next(text, i) == 'f'
        && (i == 0 || (!IsIdentifierChar(text[i - 1]) && text[i - 1] != '.'))
        && (i + 2 >= text.Length || !IsIdentifierChar(text[i + 2]));

    private static int LineIndentation(string text, int start)
    {
        int width = 0;
        for (int i = start; i < text.Length && text[i] is ' ' or '\t'; i++)
            width += text[i] == '\t' ? TabWidth : 1;
        return width;
    }
}
