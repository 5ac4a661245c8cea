using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

// In the TorchSharp collection: the "layers" and "chars" models are made by seeding TorchSharp.
[Collection(TorchCollection.Name)]
public sealed class RnnModelLoaderTests : IDisposable
{
    private readonly MLContext ml = new(seed: 1);
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-save-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Models => new() { "classifier", "tagger", "lm", "pytorch", "hidden", "layers", "chars" };

    private static (byte[] Model, Action<RnnScoringOptions> Configure, string[] Columns, int Vocab) Case(string name) => name switch
    {
        "classifier" => (TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["a", "b", "c"]), _ => { }, ["Score", "PredictedLabel"], 12),
        "tagger" => (TestModels.MlNetRnn(TestModels.Task.TokenClassification, classes: 4), _ => { }, ["Score", "PredictedLabel"], 12),
        "lm" => (TestModels.MlNetRnn(TestModels.Task.LanguageModel, lstm: true, vocab: 10), _ => { }, ["TokenLogProbabilities", "LogLikelihood", "Perplexity"], 10),
        "pytorch" => (TestModels.PyTorchLstmClassifier(), o => o.VocabularySize = 20, ["Score", "PredictedLabel"], 20),
        "layers" => (LayerStatesLanguageModel(), o => { o.HiddenStatesColumnName = "States"; o.LayerHiddenStatesColumnName = "Layers"; }, ["TokenLogProbabilities", "States", "Layers"], LayerStateModels.Vocab),
        "chars" => CharacterTagger(),
        _ => (TestModels.MlNetRnn(TestModels.Task.SequenceClassification, bidirectional: true), o => { o.LastHiddenColumnName = "Last"; o.HiddenStatesColumnName = "States"; }, ["Score", "Last", "States"], 12),
    };

    private static (byte[], Action<RnnScoringOptions>, string[], int) CharacterTagger()
    {
        using var tagger = CharacterAwareScoringTests.CreateTagger(Training.Models.RnnCellType.Lstm);
        return (tagger.Onnx, o => o.CharactersColumnName = "Words", ["Score", "PredictedLabel"], tagger.Words.Count);
    }

    /// <summary>Seeded rows of <see cref="RandomSequences"/>; for the "chars" model with a Words column too (words of 0 to 9
    /// characters, some outside the model's character vocabulary).</summary>
    private IDataView Data(string name, int count, int vocab, int seed)
    {
        var sequences = RandomSequences(count, vocab, seed, minLength: name == "pytorch" ? 1 : 0);
        if (name != "chars")
            return Load(ml, sequences);
        var random = new Random(seed);
        const string letters = "TheCatsonmAdgrwZé.";
        string Word() => new([.. Enumerable.Range(0, random.Next(0, 10)).Select(_ => letters[random.Next(letters.Length)])]);
        return ml.Data.LoadFromEnumerable(sequences.Select((s, i) => new WordsRow { Id = i, Tokens = s, Words = [.. s.Select(_ => Word())] }).ToList());
    }

    private static byte[] LayerStatesLanguageModel()
    {
        using var model = LayerStateModels.Create(Training.Models.RnnTask.LanguageModel, Training.Models.RnnCellType.Lstm, 2, bidirectional: false);
        return LayerStateModels.Export(model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SaveThenPlainLoad_ScoresTheSameNumbersRowByRow(string name)
    {
        var (model, configure, columns, vocab) = Case(name);
        var data = Data(name, 40, vocab, seed: 21);
        using var transformer = Fit(model, configure, data);
        string path = Path.Combine(directory, "model.zip");
        ml.Model.Save(transformer, data.Schema, path);

        var loaded = new MLContext(seed: 5).Model.Load(path, out var schema);
        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        Assert.DoesNotContain(loaded is TransformerChain<ITransformer> chain ? Flatten(chain) : [loaded], t => t is RnnScoringTransformer);
        AssertSameColumns(transformer.Transform(data), loaded.Transform(data), columns);
    }

    [Theory]
    [MemberData(nameof(Models))]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void LoadWithRnnFastPath_RestoresTheBatchedTransformerWithTheSameNumbers(string name)
    {
        var (model, configure, columns, vocab) = Case(name);
        var data = Data(name, 40, vocab, seed: 22);
        using var transformer = Fit(model, configure, data);
        var pipeline = ml.Transforms.CopyColumns("Copy", "Id").Fit(data).Append(transformer);
        string path = Path.Combine(directory, "model.zip");
        ml.Model.Save(pipeline, data.Schema, path);

        using var loaded = new MLContext(seed: 5).Model.LoadWithRnnFastPath(path, out _);
        Assert.Single(Flatten((TransformerChain<ITransformer>)loaded.Model).OfType<RnnScoringTransformer>());
        var scored = loaded.Transform(data);
        AssertSameColumns(transformer.Transform(data), scored, columns);
        Assert.Equal(Enumerable.Range(0, 40), Column<int>(scored, "Copy"));
        Assert.Equal(transformer.Transform(data).Schema[columns[0]].Type, scored.Schema[columns[0]].Type);
    }

    [Fact]
    public void LoadWithRnnFastPath_DisposeReleasesTheRestoredScorers_AndTwiceIsHarmless()
    {
        var (model, configure, _, vocab) = Case("classifier");
        var data = Load(ml, RandomSequences(5, vocab, seed: 24));
        using var transformer = Fit(model, configure, data);
        string path = Path.Combine(directory, "dispose.zip");
        ml.Model.Save(ml.Transforms.CopyColumns("Copy", "Id").Fit(data).Append(transformer), data.Schema, path);
        var loaded = ml.Model.LoadWithRnnFastPath(path, out _);
        var scorer = Assert.Single(Flatten((TransformerChain<ITransformer>)loaded.Model).OfType<RnnScoringTransformer>());

        loaded.Dispose();
        loaded.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scorer.Transform(data));
        Assert.Throws<ObjectDisposedException>(() => loaded.Transform(data));
        Assert.Throws<ObjectDisposedException>(() => loaded.GetRowToRowMapper(data.Schema));
    }

    [Fact]
    public void LoadWithRnnFastPath_ResavedModelLoadsAgain()
    {
        var (model, configure, columns, vocab) = Case("classifier");
        var data = Load(ml, RandomSequences(10, vocab, seed: 23));
        using var transformer = Fit(model, configure, data);
        string first = Path.Combine(directory, "first.zip"), second = Path.Combine(directory, "second.zip");
        ml.Model.Save(transformer, data.Schema, first);
        using var loaded = ml.Model.LoadWithRnnFastPath(first, out var schema);
        ml.Model.Save(loaded, schema, second);
        using var again = ml.Model.LoadWithRnnFastPath(second, out _);
        AssertSameColumns(transformer.Transform(data), again.Transform(data), columns);
    }

    [Fact]
    public void Save_KeyTokensAndColumnsNamedLikeGraphInputs_SurviveTheRoundTrip()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: 6);
        var rows = new[] { new KeyRow { Id = 0, input_ids = [2, 3], lengths = "keep me" }, new KeyRow { Id = 1, input_ids = [0, 5, 4], lengths = "and me" }, new KeyRow { Id = 2, input_ids = [], lengths = "me too" } };
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = model, InputColumnName = "input_ids" }).Fit(data);
        string path = Path.Combine(directory, "keys.zip");
        ml.Model.Save(transformer, data.Schema, path);

        var loaded = new MLContext(seed: 3).Model.Load(path, out _);
        var stock = loaded.Transform(data);
        var fast = transformer.Transform(data);
        AssertSameColumns(fast, stock, ["Score", "PredictedLabel"]);
        Assert.Equal(["keep me", "and me", "me too"], Column<ReadOnlyMemory<char>>(stock, "lengths").Select(m => m.ToString()));
        Assert.Equal(Vectors<uint>(fast, "input_ids"), Vectors<uint>(stock, "input_ids"));
    }

    private RnnScoringTransformer Fit(byte[] model, Action<RnnScoringOptions> configure, IDataView data)
    {
        var options = new RnnScoringOptions { ModelBytes = model, BatchSize = 8 };
        configure(options);
        return ml.Transforms.ScoreRnn(options).Fit(data);
    }

    internal static IEnumerable<ITransformer> Flatten(IEnumerable<ITransformer> chain) =>
        chain.SelectMany(t => t is IEnumerable<ITransformer> inner && t.GetType().IsGenericType ? Flatten(inner) : [t]);

    internal static void AssertSameColumns(IDataView expected, IDataView actual, IEnumerable<string> columns)
    {
        foreach (string column in columns)
        {
            var type = expected.Schema[column].Type;
            if (type is KeyDataViewType)
            {
                Assert.Equal(Column<uint>(expected, column), Column<uint>(actual, column));
                Assert.Equal(type, actual.Schema[column].Type);
            }
            else if (type is VectorDataViewType { ItemType: KeyDataViewType })
            {
                Assert.Equal(Vectors<uint>(expected, column), Vectors<uint>(actual, column));
            }
            else if (type is VectorDataViewType)
            {
                var e = Vectors<float>(expected, column);
                var a = Vectors<float>(actual, column);
                Assert.Equal(e.Count, a.Count);
                for (int i = 0; i < e.Count; i++)
                    AssertClose(e[i], a[i], 1e-6f, $"{column}, row {i}");
            }
            else
            {
                var e = Column<float>(expected, column);
                var a = Column<float>(actual, column);
                AssertClose([.. e], [.. a], 1e-6f, column);
            }
        }
    }

    private sealed class WordsRow
    {
        public int Id { get; set; }

        [VectorType]
        public long[] Tokens { get; set; } = [];

        [VectorType]
        public string[] Words { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public int Id { get; set; }

        [KeyType(5)]
        [VectorType]
        public uint[] input_ids { get; set; } = [];

        public string lengths { get; set; } = string.Empty;
    }
}
