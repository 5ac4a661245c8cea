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

    private sealed record Tagger(RnnSequenceModel Model, Vocabulary Words, Vocabulary Characters, byte[] Onnx) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    private static Tagger CreateTagger(RnnCellType cell)
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
