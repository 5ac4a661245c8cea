using MlNetRnn.Transforms.Interpretability;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Interpretability;

public sealed class CharPropertyTests
{
    // '^' where the property holds, '.' where it does not, one per character of the text.
    private static string Marks(CharProperty property, string text) => new(property.Holds(text).Select(h => h ? '^' : '.').ToArray());

    [Fact]
    public void InsideDoubleQuotes_IncludesTheOpeningQuoteAndExcludesTheClosingOne()
    {
        Assert.Equal("..^^^....^^", Marks(CharProperty.InsideDoubleQuotes, "a \"bc\" d \"e"));
    }

    [Fact]
    public void InsideDoubleQuotes_CurlyQuotesOpenAndCloseAndAReopenedParagraphStaysInside()
    {
        Assert.Equal("..^^^....^^^^^.", Marks(CharProperty.InsideDoubleQuotes, "a \u201cbc\u201d d \u201ce\n\u201cf\u201d"));
        Assert.Equal(".^^^^..", Marks(CharProperty.InsideDoubleQuotes, "x\u201ca\u201cb\u201dy"));
    }

    [Fact]
    public void InsideParentheses_CountsNestingAndIgnoresAnUnmatchedClose()
    {
        Assert.Equal("..^^^^^^^^....", Marks(CharProperty.InsideParentheses, "a (b (c) d) e)"));
    }

    [Fact]
    public void PositionInLine_CountsCharactersSinceTheLastNewline()
    {
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 0], CharProperty.PositionInLine.Evaluate("ab\ncd\n\ne"));
    }

    [Fact]
    public void InsideString_IgnoresCommentMarkersInStringsAndQuotesInComments()
    {
        const string text = "s = \"a//b\"; // it's \"x\"\ny";
        Assert.Equal("....^^^^^................", Marks(CharProperty.InsideString, text));
        Assert.Equal("............^^^^^^^^^^^..", Marks(CharProperty.InsideComment, text));
    }

    [Fact]
    public void InsideString_HonoursEscapedQuotesAndBackslashes()
    {
        Assert.Equal("..^^^^^....^^^...", Marks(CharProperty.InsideString, "a='x\\'y';b=\"\\\\\";c"));
    }

    [Fact]
    public void InsideString_TemplateSpansLinesAndOtherStringsEndAtANewline()
    {
        Assert.Equal("^^^^^^^...", Marks(CharProperty.InsideString, "`a\n${b}`;c"));
        Assert.Equal("^^^...", Marks(CharProperty.InsideString, "\"ab\ncd"));
    }

    [Fact]
    public void InsideComment_BlockCommentIncludesBothDelimitersAndHidesItsQuotes()
    {
        const string text = "/* \"x */ y \"z\"";
        Assert.Equal("^^^^^^^^......", Marks(CharProperty.InsideComment, text));
        Assert.Equal("...........^^.", Marks(CharProperty.InsideString, text));
    }

    [Fact]
    public void InsideIfCondition_RunsFromTheParenAfterIfToItsMatchingParen()
    {
        const string text = "if (a && (b || c)) { x(); } else if(y) z";
        Assert.Equal("...^^^^^^^^^^^^^^..................^^...", Marks(CharProperty.InsideIfCondition, text));
    }

    [Fact]
    public void InsideIfCondition_IgnoresIfInIdentifiersStringsAndComments()
    {
        const string text = "notif (a); elif(b); x.if(c); \"if (d)\"; // if (e)\n/* if (f) */ g(h)";
        Assert.DoesNotContain('^', Marks(CharProperty.InsideIfCondition, text));
    }

    [Fact]
    public void InsideIfCondition_AllowsCommentsBeforeTheParenAndEscapedStringsInside()
    {
        Assert.Equal("...........^^...", Marks(CharProperty.InsideIfCondition, "if /* c */ (a) x"));
        Assert.Equal("...^^^^^^^^^^^^^^^^^^..", Marks(CharProperty.InsideIfCondition, "if (/* ) */ s == '\\)')x"));
    }

    [Fact]
    public void IndentationDepth_IsTheLinesLeadingWhitespaceWithTabsAsFourColumns()
    {
        Assert.Equal([0, 0, 2, 2, 2, 2, 4, 4, 4, 5, 5, 5], CharProperty.IndentationDepth.Evaluate("a\n  b\n\tc\n \t\n"));
    }

    [Fact]
    public void CodeProperties_LabelAJavaScriptFunction()
    {
        // Each line with its comment, string and if-condition marks; the joining newlines are marked '.'.
        (string Line, string Comment, string String, string If, int Indent)[] lines =
        [
            ("function f(s) {", "", "", "", 0),
            ("  // say \"hi\"", "..^^^^^^^^^^^", "", "", 2),
            ("  if (s === \"//\" || (s && s.x)) {", "", "............^^^..................", ".....^^^^^^^^^^^^^^^^^^^^^^^^^...", 2),
            ("    return 'it\\'s';", "", "...........^^^^^^..", "", 4),
            ("  }", "", "", "", 2),
            ("}", "", "", "", 0),
        ];
        string text = string.Join("\n", lines.Select(l => l.Line));
        string Expected(Func<(string Line, string Comment, string String, string If, int Indent), string> marks) =>
            string.Join(".", lines.Select(l => marks(l) is "" ? new string('.', l.Line.Length) : marks(l)));

        Assert.Equal(Expected(l => l.Comment), Marks(CharProperty.InsideComment, text));
        Assert.Equal(Expected(l => l.String), Marks(CharProperty.InsideString, text));
        Assert.Equal(Expected(l => l.If), Marks(CharProperty.InsideIfCondition, text));
        Assert.Equal(lines.SelectMany(l => Enumerable.Repeat((double)l.Indent, l.Line.Length + 1)).Take(text.Length), CharProperty.IndentationDepth.Evaluate(text));
    }

    [Fact]
    public void Factories_MakeUserPropertiesOfEitherKind()
    {
        var vowel = CharProperty.Binary("vowel", text => text.Select(c => "aeiou".Contains(c)).ToArray());
        var code = CharProperty.Numeric("char code", text => text.Select(c => (double)c).ToArray());

        Assert.Equal(CharPropertyKind.Binary, vowel.Kind);
        Assert.Equal([1, 0, 1], vowel.Evaluate("aba"));
        Assert.Equal(CharPropertyKind.Numeric, code.Kind);
        Assert.Equal([97, 98], code.Evaluate("ab"));
    }

    [Fact]
    public void Evaluate_RejectsAFunctionReturningTheWrongLengthOrNaN_NamingTheProperty()
    {
        var shortOne = CharProperty.Binary("short", _ => new bool[1]);
        var nothing = CharProperty.Binary("nothing", _ => null!);
        var nan = CharProperty.Numeric("nan", text => text.Select(_ => double.NaN).ToArray());

        Assert.Contains("'short' returned 1 values for a text of 3 characters", Assert.Throws<InvalidOperationException>(() => shortOne.Evaluate("abc")).Message);
        Assert.Contains("'nan' returned NaN at position 0", Assert.Throws<InvalidOperationException>(() => nan.Evaluate("abc")).Message);
        Assert.Contains("'nothing' returned null", Assert.Throws<InvalidOperationException>(() => nothing.Evaluate("abc")).Message);
        Assert.Throws<InvalidOperationException>(() => CharProperty.PositionInLine.Holds("abc"));
    }
}
