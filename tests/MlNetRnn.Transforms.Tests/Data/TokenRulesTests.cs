using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests.Data;

/// <summary>
/// The id rules and the empty-row rule have one implementation: the batched transformer and the same pipeline saved with
/// <c>mlContext.Model.Save</c> and loaded with plain <c>mlContext.Model.Load</c> give the same outcome for every edge case.
/// </summary>
public sealed class TokenRulesTests
{
    private const int Vocab = 12;
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: Vocab);   // unk_id 1
    private static readonly byte[] Int32Generic = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, vocab: Vocab, withoutMetadata: true, int32Inputs: true);
    private readonly MLContext ml = new(seed: 1);

    public static TheoryData<string> Cases =>
    [
        "negative id", "id = vocab size", "max valid id", "empty row, MlNetRnn model", "empty row, generic model",
        "key 0 with unk", "key 0 without unk", "id > Int32.MaxValue, int32 ids", "sparse ids", "sparse keys with unk", "sparse keys without unk",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchedAndSavedChain_GiveTheSameOutcome(string name)
    {
        var (model, configure, data, error) = Case(name);
        var options = new RnnScoringOptions { ModelBytes = model, BatchSize = 4 };
        configure?.Invoke(options);
        using var transformer = ml.Transforms.ScoreRnn(options).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var saved = new MLContext(seed: 2).Model.Load(stream, out _);

        var batched = Outcome(transformer.Transform(data));
        var stock = Outcome(saved.Transform(data));

        if (error is null)
        {
            Assert.Null(batched.Error);
            Assert.Null(stock.Error);
            for (int row = 0; row < batched.Scores!.Count; row++)
                AssertClose(batched.Scores[row], stock.Scores![row], 1e-6f, $"{name}, row {row}");
            Assert.Equal(batched.Labels, stock.Labels);
            return;
        }

        // The bad row is row 1 of the input; the saved chain scores one row at a time and says "Row unknown". ML.NET's
        // multi-threaded cursor over the stock chain wraps what a step throws in its own InvalidOperationException.
        Assert.IsType<InvalidDataException>(batched.Error);
        var stockError = stock.Error is InvalidOperationException { InnerException: InvalidDataException inner } ? inner : stock.Error;
        Assert.IsType<InvalidDataException>(stockError);
        Assert.Equal($"Row 1, column 'Tokens', {error}", batched.Error.Message);
        Assert.Equal($"Row unknown, column 'Tokens', {error}", stockError.Message);
    }

    private (byte[] Model, Action<RnnScoringOptions>? Configure, IDataView Data, string? Error) Case(string name)
    {
        Action<RnnScoringOptions> generic = o => { o.OutputName = "probabilities"; o.OutputIsLogits = false; };
        return name switch
        {
            "negative id" => (Classifier, null, Raw(Dense(-1L)), "token 0: the negative id -1."),
            "id = vocab size" => (Classifier, null, Raw(Dense(2L, Vocab)), $"token 1: id {Vocab}, but the model's vocabulary has ids 0…{Vocab - 1}."),
            "max valid id" => (Classifier, null, Raw(Dense(Vocab - 1L, 2L)), null),
            "empty row, MlNetRnn model" => (Classifier, null, Raw(Dense<long>()), null),
            "empty row, generic model" => (Int32Generic, o => { generic(o); o.VocabularySize = Vocab; }, Raw(Dense<long>()), null),
            "key 0 with unk" => (Classifier, null, Keys(Dense(3u, 0u)), null),
            "key 0 without unk" => (Int32Generic, generic, Keys(Dense(3u, 0u)),
                "token 1: key 0 (a missing value), but the model has no unknown-token id to read it as."),
            "id > Int32.MaxValue, int32 ids" => (Int32Generic, generic, Raw(Dense(int.MaxValue + 1L)),
                $"token 0: id {int.MaxValue + 1L}, but the model's ids input is int32 (ids 0…{int.MaxValue})."),
            "sparse ids" => (Classifier, null, Raw(new VBuffer<long>(5, 2, [4, 7], [1, 3])), null),
            "sparse keys with unk" => (Classifier, null, Keys(new VBuffer<uint>(4, 1, [5u], [2])), null),
            "sparse keys without unk" => (Int32Generic, generic, Keys(new VBuffer<uint>(4, 1, [5u], [0])),
                "token 1: key 0 (a missing value), but the model has no unknown-token id to read it as."),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
        };
    }

    private static VBuffer<T> Dense<T>(params T[] values) => new(values.Length, values);

    /// <summary>Row 0 is a good row, row 1 the case's row.</summary>
    private IDataView Raw(VBuffer<long> row) => Rows(new VBuffer<long>(2, [3L, 4L]), row, NumberDataViewType.Int64);

    private IDataView Keys(VBuffer<uint> row) =>
        Rows(new VBuffer<uint>(2, [3u, 4u]), row, new KeyDataViewType(typeof(uint), Vocab));

    private IDataView Rows<T>(VBuffer<T> good, VBuffer<T> row, PrimitiveDataViewType itemType)
    {
        var definition = SchemaDefinition.Create(typeof(SparseRow<T>));
        definition[nameof(SparseRow<T>.Tokens)].ColumnType = new VectorDataViewType(itemType);
        return ml.Data.LoadFromEnumerable([new SparseRow<T> { Tokens = good }, new SparseRow<T> { Tokens = row }], definition);
    }

    private static (Exception? Error, List<float[]>? Scores, List<uint>? Labels) Outcome(IDataView scored)
    {
        try
        {
            return (null, Vectors<float>(scored, "Score"), Column<uint>(scored, "PredictedLabel"));
        }
        catch (Exception e)
        {
            return (e, null, null);
        }
    }

    private sealed class SparseRow<T>
    {
        public VBuffer<T> Tokens { get; set; }
    }
}
