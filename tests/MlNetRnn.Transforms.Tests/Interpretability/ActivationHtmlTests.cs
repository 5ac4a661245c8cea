using System.Xml.Linq;
using MlNetRnn.Transforms.Interpretability;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Interpretability;

public sealed class ActivationHtmlTests
{
    private static XDocument Parse(string html) => XDocument.Parse(html, LoadOptions.PreserveWhitespace);

    private static List<XElement> CharSpans(XElement pre) => pre.Elements("span").ToList();

    [Fact]
    public void Render_IsWellFormedWithOneSpanPerCharacterPerBlock()
    {
        const string passage = "if (a) {\n\treturn \"x\";\n}";
        var activations = passage.Select((_, i) => (float)Math.Sin(i)).ToArray();

        var page = Parse(ActivationHtml.Render(passage, [new("unit 1", activations), new("unit 2", activations)], "demo"));

        var blocks = page.Descendants("div").Where(d => (string?)d.Attribute("class") == "unit").ToList();
        Assert.Equal(2, blocks.Count);
        foreach (var block in blocks)
        {
            var spans = CharSpans(block.Element("pre")!);
            Assert.Equal(passage.Length, spans.Count);
            Assert.Equal(passage, string.Concat(spans.Select(s => s.Value))); // whitespace, tab and newlines kept
            Assert.All(spans, s => Assert.Equal("c", (string?)s.Attribute("class")));
        }
        Assert.DoesNotContain(page.Descendants(), e => e.Name.LocalName is "script" or "link" or "img");
    }

    [Fact]
    public void Render_EscapesMarkupCharacters()
    {
        const string passage = "a<b&\"c>";

        string html = ActivationHtml.Render(passage, [new("<caption & \"quote\">", new float[passage.Length])], "t<&>");
        var spans = CharSpans(Parse(html).Descendants("pre").Single());

        Assert.Equal(["a", "<", "b", "&", "\"", "c", ">"], spans.Select(s => s.Value));
        Assert.Contains(">&lt;</span>", html);
        Assert.Contains(">&amp;</span>", html);
        Assert.Contains(">&quot;</span>", html);
        Assert.Contains("<h2>&lt;caption &amp; &quot;quote&quot;&gt;</h2>", html);
    }

    [Fact]
    public void Render_ColoursRedAtMinusOneWhiteAtZeroBlueAtPlusOne_ClampingOutside()
    {
        const string passage = "abcde";
        float[] activations = [-1, 0, 1, 3, -0.5f];

        var spans = CharSpans(Parse(ActivationHtml.Render(passage, [new("u", activations)], "t")).Descendants("pre").Single());

        Assert.Equal(
            ["background:#d6604d", "background:#ffffff", "background:#4393c3", "background:#4393c3", "background:#ebb0a6"],
            spans.Select(s => (string?)s.Attribute("style")));
        Assert.Equal(["-1", "0", "1", "3", "-0.5"], spans.Select(s => (string?)s.Attribute("data-v")));
    }

    [Fact]
    public void Render_MarksCharactersWhereThePropertyHolds()
    {
        const string passage = "a\"bc\"d";
        var marked = CharProperty.InsideDoubleQuotes.Holds(passage);

        var spans = CharSpans(Parse(ActivationHtml.Render(passage, [new("u", new float[6], marked)], "t")).Descendants("pre").Single());

        Assert.Equal(["c", "c p", "c p", "c p", "c", "c"], spans.Select(s => (string?)s.Attribute("class")));
    }

    [Fact]
    public void Render_KeepsOneSpanPerPositionForCarriageReturnsControlsAndSurrogatePairs()
    {
        const string passage = "a\r\n\u0001\U0001F600b";

        var spans = CharSpans(Parse(ActivationHtml.Render(passage, [new("u", new float[passage.Length])], "t")).Descendants("pre").Single());

        Assert.Equal(["a", "", "\n", "\uFFFD", "\U0001F600", "", "b"], spans.Select(s => s.Value));
    }

    [Fact]
    public void Render_RejectsActivationsThatDoNotMatchThePassage()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationHtml.Render("abc", [new("layer 1 h, unit 3", new float[2])], "t"));

        Assert.Contains("Block 0 ('layer 1 h, unit 3') has 2 activations; expected 3", error.Message);
    }

    [Fact]
    public void Render_FromASearch_DrawsEachPropertysBestUnitsOverThePassage()
    {
        var (text, tracks) = UnitSearchTests.PlantedExample(seed: 7, length: 3_000);
        var result = UnitSearch.Run(text, tracks, [CharProperty.InsideDoubleQuotes, CharProperty.PositionInLine]);

        var page = Parse(ActivationHtml.Render(text, tracks, result, 100..400, unitsPerProperty: 2));

        var blocks = page.Descendants("div").ToList();
        Assert.Equal(4, blocks.Count);
        Assert.StartsWith("inside \"quotes\": layer 1 h, unit 37, AUC 0.9", blocks[0].Element("h2")!.Value);
        var quoteSpans = CharSpans(blocks[0].Element("pre")!);
        Assert.Equal(text[100..400], string.Concat(quoteSpans.Select(s => s.Value)));
        Assert.Equal(CharProperty.InsideDoubleQuotes.Holds(text)[100..400], quoteSpans.Select(s => (string?)s.Attribute("class") == "c p"));
        Assert.Equal(tracks[0][100, 37].ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), (string?)quoteSpans[0].Attribute("data-v"));
        Assert.DoesNotContain(CharSpans(blocks[2].Element("pre")!), s => (string?)s.Attribute("class") == "c p"); // numeric: nothing marked
    }
}
