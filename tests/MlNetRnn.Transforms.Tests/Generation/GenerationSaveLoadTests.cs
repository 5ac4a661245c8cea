using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Generation;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class GenerationSaveLoadTests
{
    private static readonly string[] Words = ["abc", "bad", "", "hedge", "fig", "x?z"];

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class ConditionRow
    {
        [VectorType(2)]
        public float[] Condition { get; set; } = [];

        public long RowSeed { get; set; }
    }

    private static (string[] Texts, float[] LogProbabilities) Outputs(IDataView scored) =>
        (scored.GetColumn<string>("GeneratedText").ToArray(), scored.GetColumn<float>("GeneratedLogProbability").ToArray());

    private static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    [Fact]
    public void SaveLoad_SequenceToSequence_GivesTheSameOutputsWithStockLoadAndFastPath()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Words.Select(w => new TextRow { Text = w }).ToList());
        using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
        {
            PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = 3, NBest = 2, LengthPenalty = 0.6, InputColumnName = "Text", OutputColumnName = "GeneratedText",
        }).Fit(data);
        var expected = transformer.Transform(data);
        byte[] zip = Save(ml, transformer, data.Schema);

        var stock = new MLContext(seed: 2).Model.Load(new MemoryStream(zip), out _);
        var stockOutput = stock.Transform(data);
        Assert.Equal(Outputs(expected).Texts, Outputs(stockOutput).Texts);
        Assert.Equal(Outputs(expected).LogProbabilities, Outputs(stockOutput).LogProbabilities);
        Assert.Equal(expected.GetColumn<string[]>("NBestTexts"), stockOutput.GetColumn<string[]>("NBestTexts"));

        using var fast = new MLContext(seed: 3).Model.LoadWithRnnFastPath(new MemoryStream(zip), out _);
        Assert.IsType<RnnGenerationTransformer>(fast.Model);
        Assert.Equal(Outputs(expected).Texts, Outputs(fast.Transform(data)).Texts);
        Assert.Equal(Outputs(expected).LogProbabilities, Outputs(fast.Transform(data)).LogProbabilities);
    }

    private static IDataView Conditions(MLContext ml) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8)
        .Select(i => new ConditionRow { Condition = i % 2 == 0 ? [1, 0] : [0.2f, 0.8f], RowSeed = 40 + i }).ToList());

    [Fact]
    public void SaveLoad_ConditionedWithSeedColumn_GivesTheSameOutputsWithStockLoad()
    {
        var ml = new MLContext(seed: 1);
        var data = Conditions(ml);
        using var transformer = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions
        {
            PackageBytes = TestGeneratorPackages.Conditioned(conditionAtFirstStep: true), SeedColumnName = "RowSeed", Temperature = 1.2, TopK = 4,
        }).Fit(data);
        var expected = Outputs(transformer.Transform(data));
        byte[] zip = Save(ml, transformer, data.Schema);

        var stock = new MLContext(seed: 2).Model.Load(new MemoryStream(zip), out _);
        Assert.Equal(expected.Texts, Outputs(stock.Transform(data)).Texts);
        using var fast = new MLContext(seed: 3).Model.LoadWithRnnFastPath(new MemoryStream(zip), out _);
        Assert.Equal(expected.Texts, Outputs(fast.Transform(data)).Texts);
    }

    [Fact]
    public void SaveLoad_ConditionedWithBaseSeed_FastPathGivesTheSameOutputs_StockLoadSaysWhyItCannot()
    {
        var ml = new MLContext(seed: 1);
        var data = Conditions(ml);
        using var transformer = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(), Seed = 5 }).Fit(data);
        var expected = Outputs(transformer.Transform(data));
        byte[] zip = Save(ml, transformer, data.Schema);

        using var fast = new MLContext(seed: 3).Model.LoadWithRnnFastPath(new MemoryStream(zip), out _);
        Assert.Equal(expected.Texts, Outputs(fast.Transform(data)).Texts);

        var stock = new MLContext(seed: 2).Model.Load(new MemoryStream(zip), out _);
        var e = Assert.ThrowsAny<Exception>(() => Outputs(stock.Transform(data)));
        var messages = new List<string>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            messages.Add(inner.Message);
        Assert.Contains(messages, m => m.Contains("LoadWithRnnFastPath", StringComparison.Ordinal) && m.Contains("seed", StringComparison.Ordinal));
    }

    private sealed class ClassRow
    {
        public string Gender { get; set; } = "";

        public int RowSeed { get; set; }
    }

    [Fact]
    public void SaveLoad_ConditionedOnAKey_GivesTheSameOutputsWithStockLoad()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromEnumerable(new[] { "class0", "class1", "class1", "class0" }.Select((g, i) => new ClassRow { Gender = g, RowSeed = i }).ToList());
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Condition", "Gender")
            .Append(ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(), SeedColumnName = "RowSeed" }));
        var model = pipeline.Fit(raw);
        var expected = Outputs(model.Transform(raw));
        byte[] zip = Save(ml, model, raw.Schema);

        var stock = new MLContext(seed: 2).Model.Load(new MemoryStream(zip), out _);
        Assert.Equal(expected.Texts, Outputs(stock.Transform(raw)).Texts);
        (model.LastTransformer as IDisposable)?.Dispose();
    }
}
