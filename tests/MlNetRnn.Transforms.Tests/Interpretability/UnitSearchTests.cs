using MlNetRnn.Transforms.Interpretability;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Interpretability;

public sealed class UnitSearchTests
{
    [Fact]
    public void Auc_EqualsTheBruteForcePairwiseCount_WithTies()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = random.Next(2, 200);
            var scores = Enumerable.Range(0, n).Select(_ => random.Next(9) switch { 8 => -0f, var k => k - 4f }).ToArray(); // few levels: many ties, -0 = +0
            var labels = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3).ToArray();
            labels[0] = true;
            labels[1] = false;
            double wins = 0, pairs = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (labels[i] && !labels[j])
                    {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }

            Assert.Equal(wins / pairs, UnitSearch.Auc(scores, labels), 12);
        }
    }

    [Fact]
    public void Run_ScoresEveryPropertyWhenThereAreMoreThan64()
    {
        const string text = "abcdefghij";
        var values = Enumerable.Range(0, text.Length).Select(i => (float)i).ToArray();
        // Property k holds at position k % 10 only; the unit's value is the position, so AUC = k % 10 / 9.
        var properties = Enumerable.Range(0, 70).Select(k => CharProperty.Binary($"p{k}", t => t.Select((_, i) => i == k % 10).ToArray())).ToArray();

        var result = UnitSearch.Run(text, [new UnitTrack("h", 1, values)], properties, top: 1);

        for (int k = 0; k < 70; k++)
            Assert.Equal(k % 10 / 9.0, result.Rankings[k].Top[0].Metric, 12);
    }

    [Fact]
    public void Pearson_EqualsTheTextbookFormula()
    {
        var random = new Random(12);
        var x = Enumerable.Range(0, 500).Select(_ => (float)random.NextDouble()).ToArray();
        var y = x.Select(v => 3 * v + random.NextDouble()).ToArray();
        double mx = x.Average(v => (double)v), my = y.Average();
        double expected = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum()
            / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
        var centered = y.Select(b => b - my).ToArray();

        Assert.Equal(expected, UnitSearch.Pearson(x, centered, centered.Sum(c => c * c)), 10);
    }

    [Fact]
    public void Run_FindsPlantedQuoteAndLineUnitsAmongNoise()
    {
        var (text, tracks) = PlantedExample(seed: 5);

        var result = UnitSearch.Run(text, tracks, [CharProperty.InsideDoubleQuotes, CharProperty.PositionInLine, CharProperty.InsideParentheses], top: 3);

        var quotes = result.Rankings[0].Top[0];
        Assert.Equal(("layer 1 h", 37, UnitDirection.Higher), (quotes.Track, quotes.Unit, quotes.Direction));
        Assert.True(quotes.Score > 0.95, $"AUC {quotes.Score}");
        Assert.True(result.Rankings[0].Top[1].Score < 0.6, $"the runner-up is noise, AUC {result.Rankings[0].Top[1].Score}");
        var line = result.Rankings[1].Top[0];
        Assert.Equal(("layer 2 c", 5, UnitDirection.Lower), (line.Track, line.Unit, line.Direction));
        Assert.True(line.Metric < -0.9, $"r {line.Metric}");
        var parens = result.Rankings[2].Top[0];
        Assert.Equal(("layer 2 c", 18, UnitDirection.Lower), (parens.Track, parens.Unit, parens.Direction));
        Assert.True(parens.Score > 0.95 && parens.Metric < 0.05, $"AUC {parens.Metric}");
    }

    [Fact]
    public void Run_ScoresAConstantUnitAsChance()
    {
        const string text = "ab \"cd\" ef\ngh";
        var track = new UnitTrack("flat", 1, new float[text.Length]);

        var result = UnitSearch.Run(text, [track], [CharProperty.InsideDoubleQuotes, CharProperty.PositionInLine]);

        Assert.Equal(0.5, result.Rankings[0].Top[0].Metric);
        Assert.Equal(0, result.Rankings[1].Top[0].Metric);
    }

    [Fact]
    public void Run_RejectsAPropertyConstantOverTheText_NamingIt()
    {
        const string text = "no quotes here";
        var track = new UnitTrack("h", 2, new float[2 * text.Length]);

        var error = Assert.Throws<ArgumentException>(() => UnitSearch.Run(text, [track], [CharProperty.InsideDoubleQuotes]));

        Assert.Contains("'inside \"quotes\"' is 0 at all 14 positions", error.Message);
    }

    [Fact]
    public void Run_RejectsTracksThatDoNotCoverTheText_OrHoldNaN_NamingThem()
    {
        const string text = "a\"b\"c";
        var tooShort = new UnitTrack("layer 1 h", 2, new float[9]);
        var nan = new UnitTrack("layer 2 h", 2, new float[10]);
        nan.Values[7] = float.NaN;

        Assert.Contains("Track 'layer 1 h' has 9 values; expected 5 positions × 2 units = 10",
            Assert.Throws<ArgumentException>(() => UnitSearch.Run(text, [tooShort], [CharProperty.InsideDoubleQuotes])).Message);
        Assert.Contains("Track 'layer 2 h', position 3, unit 1: NaN",
            Assert.Throws<ArgumentException>(() => UnitSearch.Run(text, [nan], [CharProperty.InsideDoubleQuotes])).Message);
        Assert.Contains("Two tracks are named 'layer 2 h'",
            Assert.Throws<ArgumentException>(() => UnitSearch.Run(text, [nan with { Values = new float[10] }, nan], [CharProperty.InsideDoubleQuotes])).Message);
    }

    [Fact]
    public void Tables_ListEachPropertysBestUnitsWithScoreAndDirection()
    {
        var (text, tracks) = PlantedExample(seed: 6);

        var result = UnitSearch.Run(text, tracks, [CharProperty.InsideDoubleQuotes, CharProperty.PositionInLine], top: 2);
        string[] lines = result.ToText().Split('\n');
        string markdown = result.ToMarkdown();

        Assert.Matches(@"^property\s+rank\s+track\s+unit\s+score\s+direction$", lines[0]);
        Assert.Matches(@"^inside ""quotes""\s+1\s+layer 1 h\s+37\s+AUC 0\.9\d\d\s+higher where it holds$", lines[1]);
        Assert.Matches(@"^position in line\s+1\s+layer 2 c\s+5\s+r -0\.9\d\d\s+falls as it rises$", lines[3]);
        Assert.Equal(lines[0].IndexOf("track", StringComparison.Ordinal), lines[3].IndexOf("layer", StringComparison.Ordinal));
        Assert.Equal(lines[1].IndexOf("higher", StringComparison.Ordinal), lines[3].IndexOf("falls", StringComparison.Ordinal));
        Assert.Contains("max(AUC, 1 - AUC)", result.ToText());
        Assert.StartsWith("| property | rank | track | unit | score | direction |\n|---|---:|---|---:|---:|---|\n| inside \"quotes\" | 1 | layer 1 h | 37 | AUC 0.9", markdown);
    }

    [Fact]
    public void ToMarkdown_EscapesPipesInNames()
    {
        const string text = "a|b|c";
        var pipe = CharProperty.Binary("is |", t => t.Select(c => c == '|').ToArray());

        var result = UnitSearch.Run(text, [new UnitTrack("h|1", 1, [0, 1, 0, 1, 0])], [pipe]);

        Assert.Contains("| is \\| | 1 | h\\|1 | 0 | AUC 1.000 | higher where it holds |", result.ToMarkdown());
    }

    /// <summary>Random prose with quotes, parentheses and lines; noise units plus a planted quote unit (layer 1 h, 37),
    /// a planted falling position-in-line unit (layer 2 c, 5) and a unit that is low inside parentheses (layer 2 c, 18; 20 units, so the last chunk of 16 is partial).</summary>
    internal static (string Text, UnitTrack[] Tracks) PlantedExample(int seed, int length = 20_000)
    {
        var random = new Random(seed);
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            double r = random.NextDouble();
            chars[i] = r < 0.02 ? '"' : r < 0.03 ? '(' : r < 0.04 ? ')' : r < 0.06 ? '\n' : r < 0.2 ? ' ' : (char)('a' + random.Next(26));
        }
        string text = new(chars);
        bool[] quotes = CharProperty.InsideDoubleQuotes.Holds(text), parens = CharProperty.InsideParentheses.Holds(text);
        double[] column = CharProperty.PositionInLine.Evaluate(text);
        float Noise(double scale) => (float)(scale * (random.NextDouble() * 2 - 1));

        var layer1 = new UnitTrack("layer 1 h", 64, new float[length * 64]);
        var layer2 = new UnitTrack("layer 2 c", 20, new float[length * 20]);
        for (int p = 0; p < length; p++)
        {
            for (int u = 0; u < 64; u++)
                layer1.Values[p * 64 + u] = u == 37 ? (quotes[p] ? 0.6f : -0.4f) + Noise(0.6) : Noise(1);
            for (int u = 0; u < 20; u++)
                layer2.Values[p * 20 + u] = u switch
                {
                    5 => (float)(1 - column[p] / 50) + Noise(0.2),
                    18 => (parens[p] ? -0.5f : 0.3f) + Noise(0.3),
                    _ => Noise(1),
                };
        }
        return (text, [layer1, layer2]);
    }
}
