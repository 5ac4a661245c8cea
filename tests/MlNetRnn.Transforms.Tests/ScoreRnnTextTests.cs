using Microsoft.ML;
using MlNetRnn.Training.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

public sealed class ScoreRnnTextTests
{
    private static readonly string[] Texts =
    [
        "The cat sat on the mat.", "Don't stop: it's 5 o'clock!", "", "   ", "ÉCOLE école", "zebra unknown-word", "the THE The",
        "a\tb\nc", "naïve café", "Wow!!!",
    ];

    private readonly MLContext ml = new(seed: 1);

    [Theory]
    [InlineData(TokenizationLevel.Word, true)]
    [InlineData(TokenizationLevel.Word, false)]
    [InlineData(TokenizationLevel.Character, true)]
    [InlineData(TokenizationLevel.Character, false)]
    public void ScoreRnnText_UsesExactlyTheIdsOfTheTrainingVocabulary(TokenizationLevel level, bool lowercase)
    {
        // The vocabulary is built by MlNetRnn.Training from part of the texts, so some tokens are unknown.
        var vocabulary = level == TokenizationLevel.Word
            ? Vocabulary.BuildWordLevel(Texts.Take(6), lowercase: lowercase)
            : Vocabulary.BuildCharacterLevel(Texts.Take(6), lowercase: lowercase);
        string tokenization = $$"""{"level":"{{(level == TokenizationLevel.Word ? "word" : "char")}}","lowercase":{{(lowercase ? "true" : "false")}}}""";
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: vocabulary.Count, vocabulary: [.. vocabulary.Tokens], tokenization: tokenization);
        var text = ml.Data.LoadFromEnumerable(Texts.Select((t, i) => new TextRow { Id = i, Text = t }).ToList());
        var scored = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model, InputColumnName = "Text", BatchSize = 3 }).Fit(text).Transform(text);

        var expectedIds = Texts.Select(t => vocabulary.Encode(t).Select(id => (long)id).ToArray()).ToArray();
        var ids = Load(ml, expectedIds);
        using var byIds = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = model }).Fit(ids);
        var expected = Vectors<float>(byIds.Transform(ids), "Score");
        var actual = Vectors<float>(scored, "Score");
        for (int i = 0; i < Texts.Length; i++)
            AssertClose(expected[i], actual[i], 0f, $"text {i}");
        // Unknown tokens are key 0 (missing), which the scorer reads as the unknown id 1.
        Assert.Equal(expectedIds.Select(r => r.Select(id => id == 1 ? 0u : (uint)id).ToArray()), Vectors<uint>(scored, "TextTokens"));
        Assert.Equal(Enumerable.Range(0, Texts.Length), Column<int>(scored, "Id"));
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void ScoreRnnText_SavesAndLoadsWithTheSameNumbers()
    {
        var vocabulary = Vocabulary.BuildWordLevel(Texts);
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: vocabulary.Count, vocabulary: [.. vocabulary.Tokens],
            tokenization: """{"level":"word","lowercase":true,"pattern":"\\w+(?:'\\w+)?|[^\\w\\s]"}""", labels: ["neg", "neu", "pos"]);
        var text = ml.Data.LoadFromEnumerable(Texts.Select((t, i) => new TextRow { Id = i, Text = t }).ToList());
        var fitted = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model, InputColumnName = "Text" }).Fit(text);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, text.Schema, stream);

        stream.Position = 0;
        var stock = new MLContext(seed: 2).Model.Load(stream, out _);
        stream.Position = 0;
        using var fast = new MLContext(seed: 2).Model.LoadWithRnnFastPath(stream, out _);
        RnnModelLoaderTests.AssertSameColumns(fitted.Transform(text), stock.Transform(text), ["Score", "PredictedLabel"]);
        RnnModelLoaderTests.AssertSameColumns(fitted.Transform(text), fast.Transform(text), ["Score", "PredictedLabel"]);
        Assert.Single(RnnModelLoaderTests.Flatten((IEnumerable<ITransformer>)fast.Model).OfType<RnnScoringTransformer>());
        fitted.LastTransformer.Dispose();
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void ScoreRnnText_PredictionEngine_GivesTheSameNumbersAsBatchScoring()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(Texts, lowercase: true);
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: vocabulary.Count, vocabulary: [.. vocabulary.Tokens], tokenization: """{"level":"char","lowercase":true}""");
        var text = ml.Data.LoadFromEnumerable(Texts.Select((t, i) => new TextRow { Id = i, Text = t }).ToList());
        var fitted = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model, InputColumnName = "Text" }).Fit(text);
        var batch = Vectors<float>(fitted.Transform(text), "Score");
        var engine = ml.Model.CreatePredictionEngine<TextRow, TextScore>(fitted);
        for (int i = 0; i < Texts.Length; i++)
            AssertClose(batch[i], engine.Predict(new TextRow { Id = i, Text = Texts[i] }).Score, 1e-6f, $"text {i}");
        fitted.LastTransformer.Dispose();
    }

    [Fact]
    public void ScoreRnnText_ModelWithoutVocabulary_FailsNamingTheMissingMetadata()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification);
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model }));
        Assert.Contains("mlnetrnn.vocabulary", error.Message);
    }

    [Fact]
    public void ScoreRnnText_NonTextColumn_FailsNamingColumnExpectedAndActualType()
    {
        var vocabulary = Vocabulary.BuildWordLevel(Texts);
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: vocabulary.Count, vocabulary: [.. vocabulary.Tokens], tokenization: """{"level":"word","lowercase":true}""");
        var data = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 3f } });
        var estimator = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = model, InputColumnName = "Text" });
        var error = Assert.Throws<ArgumentException>(() => estimator.Fit(data));
        Assert.True(error.Message.Contains("'Text'"), error.Message);
        Assert.Contains("String", error.Message);
        Assert.Contains("Single", error.Message);
    }

    private sealed class TextScore
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class NumberRow
    {
        public float Text { get; set; }
    }
}
