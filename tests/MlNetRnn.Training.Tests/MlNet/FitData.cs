using Microsoft.ML;

namespace MlNetRnn.Training.Tests.MlNet;

/// <summary>Tiny seeded IDataViews for the ML.NET trainers: sentiment-like texts, token keys, and tagged texts.</summary>
internal static class FitData
{
    private static readonly string[] Neutral = ["the", "movie", "plot", "was", "and", "a", "story", "it"];
    private static readonly string[] Positive = ["good", "great", "fun"];
    private static readonly string[] Negative = ["bad", "awful", "boring"];

    /// <summary>Texts of 2…7 words: neutral words plus either positive or negative ones; label "pos" or "neg".</summary>
    public static IDataView Sentiment(MLContext ml, int count, int seed) => ml.Data.LoadFromEnumerable(SentimentRows(count, seed));

    public static List<TextRow> SentimentRows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<TextRow>();
        for (int i = 0; i < count; i++)
        {
            bool positive = random.Next(2) == 0;
            var words = Enumerable.Range(0, random.Next(2, 8)).Select(_ => Neutral[random.Next(Neutral.Length)]).ToList();
            var cue = positive ? Positive : Negative;
            words.Insert(random.Next(words.Count + 1), cue[random.Next(cue.Length)]);
            rows.Add(new TextRow { Text = string.Join(' ', words), Label = positive ? "pos" : "neg" });
        }

        return rows;
    }

    /// <summary>Token names "t1"…"t11", 1…10 per row; label "yes" when "t5" occurs, else "no". See <see cref="ToKeys"/>.</summary>
    public static IDataView Keys(MLContext ml, int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<TokenRow>();
        for (int i = 0; i < count; i++)
        {
            var tokens = Enumerable.Range(0, random.Next(1, 11)).Select(_ => $"t{random.Next(1, 12)}").ToArray();
            rows.Add(new TokenRow { Tokens = tokens, Label = tokens.Contains("t5") ? "yes" : "no" });
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Maps the token names and the label of <see cref="Keys"/> to keys, as an ML.NET user would.</summary>
    public static IEstimator<ITransformer> ToKeys(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Tokens").Append(ml.Transforms.Conversion.MapValueToKey("Label"));

    /// <summary>Space-separated words, each tagged by its word class ("D", "N", "V"); tags given space-separated as text.</summary>
    public static IDataView Tagged(MLContext ml, int count, int seed)
    {
        string[][] words = [["the", "a"], ["cat", "dog", "mat", "bird"], ["sat", "ran", "saw"]];
        string[] tags = ["D", "N", "V"];
        var random = new Random(seed);
        var rows = new List<TaggedRow>();
        for (int i = 0; i < count; i++)
        {
            var classes = Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(3)).ToArray();
            rows.Add(new TaggedRow
            {
                Text = string.Join(' ', classes.Select(c => words[c][random.Next(words[c].Length)])),
                Tags = string.Join(' ', classes.Select(c => tags[c])),
            });
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>
    /// Space-separated made-up words tagged by their suffix alone: "…ing" V, "…ly" R, "…ness" N; stems are random letters
    /// (seeded), so rows from another seed are almost all words never seen before, which only their characters can tag.
    /// Some words are capitalized (characters keep the case). Tags given space-separated as text.
    /// </summary>
    public static IDataView Suffixed(MLContext ml, int count, int seed)
    {
        string[] suffixes = ["ing", "ly", "ness"];
        string[] tags = ["V", "R", "N"];
        var random = new Random(seed);
        string Stem() => new([.. Enumerable.Range(0, random.Next(2, 5)).Select(_ => (char)('a' + random.Next(26)))]);
        var rows = new List<TaggedRow>();
        for (int i = 0; i < count; i++)
        {
            var classes = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(3)).ToArray();
            var words = classes.Select(c => Stem() + suffixes[c]).Select(w => random.Next(4) == 0 ? char.ToUpperInvariant(w[0]) + w[1..] : w);
            rows.Add(new TaggedRow { Text = string.Join(' ', words), Tags = string.Join(' ', classes.Select(c => tags[c])) });
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>The public <see cref="SchemaShape"/> of a schema (Microsoft.ML keeps <c>SchemaShape.Create</c> internal).</summary>
    public static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;

    /// <summary>Maps the text labels to keys ("Label").</summary>
    public static IEstimator<ITransformer> LabelToKey(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label");

    /// <summary>Splits the space-separated tags into a key vector ("Label").</summary>
    public static IEstimator<ITransformer> TagsToKeys(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoWords("TagWords", "Tags", [' '])
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "TagWords"));

    public sealed class TextRow
    {
        public string Text { get; set; } = "";

        public string Label { get; set; } = "";
    }

    public sealed class TokenRow
    {
        public string[] Tokens { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public sealed class TaggedRow
    {
        public string Text { get; set; } = "";

        public string Tags { get; set; } = "";
    }
}
