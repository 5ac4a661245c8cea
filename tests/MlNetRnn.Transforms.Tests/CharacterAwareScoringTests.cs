using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;
using static TorchSharp.torch;

namespace MlNetRnn.Transforms.Tests;

/// <summary>Models with a character encoder: ML.NET feeds each word's characters and scores as TorchSharp does.</summary>
[Collection(TorchCollection.Name)]
public sealed class CharacterAwareScoringTests
{
    private static readonly string[] TrainingTexts = ["The cat sat on the mat .", "A dog ran home", "the Dog saw a cat"];
    private static readonly TokenizationSettings AsWritten = new(TokenizationLevel.Word, lowercase: false);
    private readonly MLContext ml = new(seed: 1);

    internal sealed record Tagger(RnnSequenceModel Model, Vocabulary Words, Vocabulary Characters, byte[] Onnx) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    /// <summary>A seeded bidirectional tagger with a character encoder (seeds TorchSharp: callers are in <see cref="TorchCollection"/>).</summary>
    internal static Tagger CreateTagger(RnnCellType cell)
    {
        var words = Vocabulary.BuildWordLevel(TrainingTexts);
        var characters = Vocabulary.BuildCharacterLevel(TrainingTexts.SelectMany(t => Vocabulary.Tokenize(t, AsWritten)));
        manual_seed(7);
        var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.TokenClassification, cell, words.Count, 6, 7, Bidirectional: true,
            NumClasses: 3, CharVocabSize: characters.Count, CharEmbeddingDim: 4, CharHiddenSize: 5));
        model.eval();
        var onnx = OnnxExporter.Export(model, new OnnxExportOptions
        {
            Vocabulary = words.Tokens, UnkId = Vocabulary.UnkId, Labels = ["A", "B", "C"], Tokenization = words.Settings, CharVocabulary = characters.Tokens,
        });
        return new Tagger(model, words, characters, onnx);
    }

    /// <summary>TorchSharp's probabilities (token-major) for one text: word ids lowercased, characters as written.</summary>
    private static float[] TorchProbabilities(Tagger tagger, string text)
    {
        var written = Vocabulary.Tokenize(text, AsWritten);
        int T = written.Count, W = Math.Max(1, written.Max(w => w.Length));
        var ids = tagger.Words.Encode(text).Select(i => (long)i).ToArray();
        var charIds = new long[T * W];
        var charLengths = new long[T];
        for (int t = 0; t < T; t++)
        {
            var chars = tagger.Characters.Encode(written[t]);
            charLengths[t] = chars.Length;
            for (int k = 0; k < chars.Length; k++)
                charIds[t * W + k] = chars[k];
        }
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = tagger.Model.forward(tensor(ids, [T, 1]), tensor(new long[] { T }), (tensor(charIds, [T, 1, W]), tensor(charLengths, [T, 1]))).Logits;
        return logits.softmax(-1).reshape(-1).data<float>().ToArray();
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    [InlineData(RnnCellType.RnnTanh)]
    public void ScoreRnnText_FeedsTheCharactersOfEachWord_AndMatchesTorchSharp(RnnCellType cell)
    {
        using var tagger = CreateTagger(cell);
        // Unknown words (Zebra, Xylophones) and an unknown character (Z, X, é) included; rows of different lengths share batches.
        string[] texts = ["The Cat sat .", "a DOG ran home", "Zebra", "the dog saw Xylophones on a mat", "café cat", "The cat sat on the mat ."];
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));

        var estimator = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text", BatchSize = 2, WindowSize = 4 });
        using var transformer = estimator.Fit(data);
        var scores = Vectors<float>(transformer.Transform(data), "Score");

        for (int i = 0; i < texts.Length; i++)
            AssertClose(TorchProbabilities(tagger, texts[i]), scores[i], 1e-5f, $"row {i} '{texts[i]}'");
    }

    [Fact]
    public void PredictionEngine_ScoresARowAsTheBatchedPathDoes()
    {
        using var tagger = CreateTagger(RnnCellType.Lstm);
        string[] texts = ["The Cat sat .", "a DOG ran home", "Zebra"];
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        using var transformer = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text" }).Fit(data);
        var batched = Vectors<float>(transformer.Transform(data), "Score");

        using var engine = ml.Model.CreatePredictionEngine<TextRow, ScoreRow>(transformer);

        for (int i = 0; i < texts.Length; i++)
            AssertClose(batched[i], engine.Predict(new TextRow { Text = texts[i] }).Score, 1e-6f, $"row {i}");
    }

    [Fact]
    public void ScoreRnnText_WordsColumnKeepsTheCase()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "The DOG, Zebra's" } });

        var scored = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text" }).Fit(data).Transform(data);

        var words = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("TextWords").Single().DenseValues().Select(w => w.ToString());
        Assert.Equal(["The", "DOG", ",", "Zebra's"], words);
    }

    [Fact]
    public void ScoreRnn_WordCountDifferentFromTokenCount_ThrowsNamingRowAndColumns()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new KeyedRow { Tokens = [2, 3], Words = ["the", "cat"] },
            new KeyedRow { Tokens = [2, 3, 4], Words = ["the", "cat"] },
        });

        var scored = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = tagger.Onnx, CharactersColumnName = "Words" }).Fit(data).Transform(data);

        var error = Assert.Throws<InvalidDataException>(() => scored.GetColumn<float[]>("Score").ToList());
        Assert.Contains("Row 1, column 'Words'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Tokens' (3), got 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreRnn_CharacterModelWithoutAWordsColumn_ThrowsAtFit()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        var data = ml.Data.LoadFromEnumerable(new[] { new KeyedRow { Tokens = [2, 3], Words = ["the", "cat"] } });

        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = tagger.Onnx }).Fit(data));

        Assert.Contains(nameof(RnnScoringOptions.CharactersColumnName), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOutputSchema_CharacterModel_ChecksTheWordsColumn()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        var data = ml.Data.LoadFromEnumerable(new[] { new KeyedRow { Tokens = [2, 3], Words = ["the", "cat"] } });
        var shape = RnnScoringEstimatorTests.SchemaShapeOf(data);

        var missing = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = tagger.Onnx, CharactersColumnName = "Letters" }).GetOutputSchema(shape));
        var wrongType = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = tagger.Onnx, CharactersColumnName = "Tokens" }).GetOutputSchema(shape));
        var fine = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = tagger.Onnx, CharactersColumnName = "Words" }).GetOutputSchema(shape);

        Assert.Contains("'Letters'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'Tokens'", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("Score", fine.Select(c => c.Name));
    }

    [Fact]
    public void ScoreRnn_CharactersColumnForAModelWithoutCharacters_Throws()
    {
        manual_seed(7);
        using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.TokenClassification, RnnCellType.Gru, 10, 4, 5, NumClasses: 3));

        var error = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = OnnxExporter.Export(model), CharactersColumnName = "Words" }));

        Assert.Contains("reads no characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreRnnText_SavesAndLoadsInAFreshContext_WithTheSameNumbers_AndTheFastPathRestoresTheScorer()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        string[] texts = ["The Cat sat .", "a DOG ran home", "", "Zebra", "the dog saw Xylophones on a mat", "café cat"];
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        var fitted = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text", BatchSize = 2 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, stream);

        stream.Position = 0;
        var stock = new MLContext(seed: 2).Model.Load(stream, out _);
        stream.Position = 0;
        using var fast = new MLContext(seed: 3).Model.LoadWithRnnFastPath(stream, out _);

        var expected = fitted.Transform(data);
        RnnModelLoaderTests.AssertSameColumns(expected, stock.Transform(data), ["Score", "PredictedLabel"]);
        RnnModelLoaderTests.AssertSameColumns(expected, fast.Transform(data), ["Score", "PredictedLabel"]);
        Assert.Equal(texts, Column<ReadOnlyMemory<char>>(fast.Transform(data), "Text").Select(t => t.ToString()));
        var restored = Assert.Single(RnnModelLoaderTests.Flatten((IEnumerable<ITransformer>)fast.Model).OfType<RnnScoringTransformer>());
        Assert.Equal("TextTokens", restored.InputColumnName);
        fitted.LastTransformer.Dispose();
    }

    [Fact]
    public void SavedRowByRowForm_WordLongerThanItsWidth_ThrowsNamingColumnAndToken_TheFastPathScoresIt()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        string longWord = new('a', 65);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "the cat " + longWord } });
        var fitted = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text" }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, stream);

        stream.Position = 0;
        var stock = ml.Model.Load(stream, out _);
        stream.Position = 0;
        using var fast = ml.Model.LoadWithRnnFastPath(stream, out _);

        var error = Assert.ThrowsAny<Exception>(() => stock.Transform(data).GetColumn<float[]>("Score").ToList());
        while (error is not InvalidDataException && error.InnerException is not null)
            error = error.InnerException;
        Assert.IsType<InvalidDataException>(error);
        Assert.Contains("column 'TextWords', token 2: a word of 65 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("LoadWithRnnFastPath", error.Message, StringComparison.Ordinal);
        RnnModelLoaderTests.AssertSameColumns(fitted.Transform(data), fast.Transform(data), ["Score"]);
        fitted.LastTransformer.Dispose();
    }

    [Fact]
    public void LoadWithRnnFastPath_OnnxEntryReplacedByAModelWithAnotherCharacterVocabulary_IsRefusedNamingBothSizes()
    {
        using var tagger = CreateTagger(RnnCellType.Gru);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "the cat" } });
        var fitted = ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = tagger.Onnx, InputColumnName = "Text" }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, stream);
        fitted.LastTransformer.Dispose();
        manual_seed(8);
        using var other = new RnnSequenceModel(tagger.Model.Config with { CharVocabSize = tagger.Characters.Count + 1 });
        string[] otherCharacters = [.. tagger.Characters.Tokens, "\u00e9"];
        var otherOnnx = OnnxExporter.Export(other, new OnnxExportOptions
        {
            Vocabulary = tagger.Words.Tokens, UnkId = Vocabulary.UnkId, Labels = ["A", "B", "C"], Tokenization = tagger.Words.Settings, CharVocabulary = otherCharacters,
        });
        string entry = Fixtures.ZipDamage.FindEntry(stream.ToArray(), "OnnxModel");
        byte[] replaced = Fixtures.ZipDamage.ReplaceEntry(stream.ToArray(), entry, _ => Fixtures.ZipDamage.LengthPrefixed(otherOnnx));

        var error = Assert.Throws<InvalidDataException>(() => ml.Model.LoadWithRnnFastPath(new MemoryStream(replaced), out _));

        Assert.Contains($"character vocabulary size: saved {tagger.Characters.Count}, model {tagger.Characters.Count + 1}", error.Message, StringComparison.Ordinal);
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class KeyedRow
    {
        [VectorType]
        public long[] Tokens { get; set; } = [];

        [VectorType]
        public string[] Words { get; set; } = [];
    }
}
