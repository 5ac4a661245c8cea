using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Tests.Fixtures;
using Onnx;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

public sealed class RnnScoringEstimatorTests
{
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification);
    private readonly MLContext ml = new(seed: 1);

    [Fact]
    public void Create_CorruptBytes_ThrowsInvalidDataExceptionFromOnnxRuntime()
    {
        var error = Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = [1, 2, 3, 4, 5, 6, 7, 8] }));
        Assert.Contains("ONNX Runtime could not load the model", error.Message);
    }

    [Fact]
    public void Create_TruncatedModel_ThrowsInvalidDataException() =>
        Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier[..(Classifier.Length / 2)] }));

    [Fact]
    public void Create_EmptyBytes_ThrowsInvalidDataException() =>
        Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = [] }));

    [Fact]
    public void Create_MissingFile_ThrowsFileNotFoundExceptionNamingThePath()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ml.Transforms.ScoreRnn("/no/such/model.onnx"));
        Assert.Contains("/no/such/model.onnx", error.Message);
    }

    [Fact]
    public void Create_NonSequenceModel_FailsListingTheModelsInputsAndOutputs()
    {
        // An "image" model: float [batch, 3] → float [batch, 2].
        var g = new OnnxGraph(seed: 1);
        g.Input("pixels", TensorProto.Types.DataType.Float, "batch", 3);
        g.Output("logits", TensorProto.Types.DataType.Float, "batch", 2);
        g.Named("logits", "MatMul", ["pixels", g.Random("w", 1f, 3, 2)]);
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = OnnxGraph.Bytes(g.Model()) }));
        Assert.Contains("rank-2 integer", error.Message);
        Assert.Contains("inputs: pixels Float [batch, 3]", error.Message);
        Assert.Contains("outputs: logits Float [batch, 2]", error.Message);
    }

    [Fact]
    public void Create_GenericModelWithExtraInput_FailsNamingIt()
    {
        var g = new OnnxGraph(seed: 1);
        g.Input("ids", TensorProto.Types.DataType.Int64, "batch", "seq");
        g.Input("mask", TensorProto.Types.DataType.Float, "batch", "seq");
        g.Output("out", TensorProto.Types.DataType.Float, "batch", 2);
        g.Named("out", "ReduceSum", [g.Op("Mul", g.Op("Cast", ["ids"], OnnxGraph.Int("to", 1)), "mask"), g.Ints("a", 1)], OnnxGraph.Int("keepdims", 1));
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = OnnxGraph.Bytes(g.Model()) }));
        Assert.Contains("input 'mask'", error.Message);
        Assert.Contains("mask Float [batch, seq]", error.Message);
    }

    [Fact]
    public void Create_WrongMetadataVersion_FailsNamingTheVersion()
    {
        var model = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, extraMetadata: []);
        var proto = ModelProto.Parser.ParseFrom(model);
        proto.MetadataProps.Single(p => p.Key == "mlnetrnn.format_version").Value = "2";
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = OnnxGraph.Bytes(proto) }));
        Assert.Contains("'2'", error.Message);
    }

    [Fact]
    public void Create_HiddenStatesRequestedFromModelWithout_FailsNamingTheOutput()
    {
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelBytes = TestModels.PyTorchLstmClassifier(),
            HiddenStatesColumnName = "States",
        }));
        Assert.Contains("hidden_states", error.Message);
    }

    [Theory]
    [InlineData(nameof(RnnScoringOptions.BatchSize), 0)]
    [InlineData(nameof(RnnScoringOptions.BatchSize), -1)]
    [InlineData(nameof(RnnScoringOptions.WindowSize), 0)]
    [InlineData(nameof(RnnScoringOptions.MaxTokensPerBatch), 0)]
    [InlineData(nameof(RnnScoringOptions.Concurrency), 0)]
    [InlineData(nameof(RnnScoringOptions.IntraOpThreads), -1)]
    [InlineData(nameof(RnnScoringOptions.IntraOpThreads), 257)]
    [InlineData(nameof(RnnScoringOptions.IntraOpThreads), 100000)]
    [InlineData(nameof(RnnScoringOptions.IntraOpThreads), int.MaxValue)]
    [InlineData(nameof(RnnScoringOptions.GpuDeviceId), -1)]
    [InlineData(nameof(RnnScoringOptions.PadId), -1)]
    [InlineData(nameof(RnnScoringOptions.UnknownId), -1)]
    [InlineData(nameof(RnnScoringOptions.VocabularySize), 0)]
    public void Create_NumberOutOfRange_ThrowsArgumentOutOfRangeNamingTheKnob(string knob, long value)
    {
        var options = new RnnScoringOptions { ModelBytes = Classifier };
        var property = typeof(RnnScoringOptions).GetProperty(knob)!;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        property.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreRnn(options));
        Assert.Equal(knob, error.ParamName);
        Assert.StartsWith($"{knob}: expected", error.Message);
    }

    [Theory]
    [InlineData(nameof(RnnScoringOptions.InputColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.InputColumnName), " ")]
    [InlineData(nameof(RnnScoringOptions.ScoreColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.PredictedLabelColumnName), " ")]
    [InlineData(nameof(RnnScoringOptions.TokenLogProbabilitiesColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.LogLikelihoodColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.PerplexityColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.LastHiddenColumnName), " ")]
    [InlineData(nameof(RnnScoringOptions.HiddenStatesColumnName), "")]
    [InlineData(nameof(RnnScoringOptions.InputIdsName), "")]
    [InlineData(nameof(RnnScoringOptions.LengthsName), " ")]
    [InlineData(nameof(RnnScoringOptions.OutputName), "")]
    public void Create_BlankName_ThrowsArgumentExceptionNamingTheKnob(string knob, string value)
    {
        var options = new RnnScoringOptions { ModelBytes = Classifier };
        typeof(RnnScoringOptions).GetProperty(knob)!.SetValue(options, value);

        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(options));
        Assert.Equal(knob, error.ParamName);
        Assert.StartsWith($"{knob}: expected", error.Message);
    }

    [Fact]
    public void Create_IdOptionsOutsideVocabularySize_ThrowNamingTheKnob()
    {
        var pad = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, VocabularySize = 5, PadId = 5 }));
        Assert.Equal(nameof(RnnScoringOptions.PadId), pad.ParamName);
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, VocabularySize = 5, UnknownId = 7 }));
        Assert.Equal(nameof(RnnScoringOptions.UnknownId), unknown.ParamName);
        Assert.Contains("[0, 5)", unknown.Message);
    }

    [Fact]
    public void Create_NullLabelName_ThrowsNamingTheKnob()
    {
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, LabelNames = ["a", null!] }));
        Assert.Equal(nameof(RnnScoringOptions.LabelNames), error.ParamName);
        Assert.Contains("index 1", error.Message);
    }

    [Fact]
    public void CreateText_BadKnob_ThrowsBeforeTheModelIsRead() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelPath = "missing.onnx", BatchSize = 0 }));

    [Fact]
    public void Fit_GpuRequestedWithoutTheCudaProvider_ThrowsNamingTheOption()
    {
        var data = Load(ml, RandomSequences(2, 12, seed: 1));
        var estimator = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, GpuDeviceId = 0 });
        var error = Assert.Throws<InvalidOperationException>(() => estimator.Fit(data));
        Assert.Contains("GpuDeviceId", error.Message);
    }

    [Fact]
    public void Fit_ConfigureSessionOptions_IsCalledWithTheSessionOptions()
    {
        var data = Load(ml, RandomSequences(2, 12, seed: 1));
        int calls = 0;
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelBytes = Classifier,
            ConfigureSessionOptions = o => { calls++; o.EnableMemoryPattern = false; },
        }).Fit(data);
        Assert.Equal(1, calls);
        Assert.Equal(2, Column<uint>(transformer.Transform(data), "PredictedLabel").Count);
    }

    [Fact]
    public void Create_NeitherOrBothModelSources_Throws()
    {
        Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions()));
        Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier, ModelPath = "x.onnx" }));
    }

    [Fact]
    public void Create_FromStream_Works()
    {
        using var stream = new MemoryStream(Classifier);
        var data = Load(ml, RandomSequences(3, 12, seed: 1));
        using var transformer = ml.Transforms.ScoreRnn(stream).Fit(data);
        Assert.Equal(3, Column<uint>(transformer.Transform(data), "PredictedLabel").Count);
    }

    [Fact]
    public void Create_OptionsChangedAfterwards_DoNotAffectTheEstimator()
    {
        var options = new RnnScoringOptions { ModelBytes = Classifier, ScoreColumnName = "First" };
        var estimator = ml.Transforms.ScoreRnn(options);
        options.ScoreColumnName = "Second";
        var data = Load(ml, RandomSequences(3, 12, seed: 1));
        using var transformer = estimator.Fit(data);
        Assert.NotNull(transformer.Transform(data).Schema.GetColumnOrNull("First"));
    }

    [Fact]
    public void Fit_MissingColumn_FailsNamingColumnAndExpectedType()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "x" } });
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data));
        Assert.Contains("'Tokens' not found", error.Message);
        Assert.Contains("vector of token ids", error.Message);
        Assert.Contains("'Text'", error.Message);
    }

    [Fact]
    public void Fit_WronglyTypedColumn_FailsNamingColumnExpectedAndActualType()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new FloatTokens { Tokens = [1f, 2f] } });
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data));
        Assert.Contains("'Tokens'", error.Message);
        Assert.Contains("Int64", error.Message);
        Assert.Contains("Vector<Single, 2>", error.Message);
    }

    [Fact]
    public void GetOutputSchema_WronglyTypedColumnInAPipeline_FailsBeforeAnyDataFlows()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "x" } });
        var pipeline = ml.Transforms.CopyColumns("Tokens", "Text").Append(ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }));
        var error = Assert.Throws<ArgumentException>(() => pipeline.GetOutputSchema(SchemaShapeOf(data)));
        Assert.Contains("Input column 'Tokens'", error.Message);
        Assert.Contains("String", error.Message);
    }

    [Fact]
    public void GetOutputSchema_AddsTheOutputColumnsWithTheirShapes()
    {
        var data = Load(ml, RandomSequences(2, 12, seed: 1));
        var shape = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).GetOutputSchema(SchemaShapeOf(data));
        var score = shape.Single(c => c.Name == "Score");
        var label = shape.Single(c => c.Name == "PredictedLabel");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.True(label.IsKey);
        Assert.Contains(shape, c => c.Name == "Tokens");
    }

    [Fact]
    public void Transformer_WronglyTypedColumnAtTransform_FailsNamingColumnExpectedAndActualType()
    {
        var data = Load(ml, RandomSequences(2, 12, seed: 1));
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data);
        var other = ml.Data.LoadFromEnumerable(new[] { new FloatTokens { Tokens = [1f, 2f] } });
        var error = Assert.Throws<ArgumentException>(() => transformer.Transform(other));
        Assert.Contains("'Tokens'", error.Message);
        Assert.Contains("Vector<Single, 2>", error.Message);
        Assert.Throws<ArgumentException>(() => transformer.GetOutputSchema(other.Schema));
    }

    // Microsoft.ML 5.0.1 keeps SchemaShape.Create internal; tests reach it the same way the library does.
    internal static SchemaShape SchemaShapeOf(IDataView data) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!
            .Invoke(null, [data.Schema])!;

    private sealed class FloatTokens
    {
        [VectorType(2)]
        public float[] Tokens { get; set; } = [];
    }
}
