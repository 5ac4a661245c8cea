using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using TorchSharp;
using Xunit;

namespace MlNetRnn.Training.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class OnnxExporterTests
{
    [Theory]
    [InlineData(RnnTask.SequenceClassification, RnnCellType.Lstm, true)]
    [InlineData(RnnTask.TokenClassification, RnnCellType.Gru, true)]
    [InlineData(RnnTask.LanguageModel, RnnCellType.RnnTanh, false)]
    public void ZeroLengthRow_GetsTheNoStepResult_AndLeavesItsCompanionsAlone(RnnTask task, RnnCellType cell, bool bidirectional)
    {
        using var model = ExportFixtures.Model(task, cell, layers: 2, bidirectional);
        byte[] onnx = OnnxExporter.Export(model);
        var companions = ExportFixtures.Sequences(4, 9, seed: 8);
        int[][] withEmpty = [companions[0], [], companions[1], companions[2], [], companions[3]];

        // TorchSharp and ORT agree on the batch with empty rows...
        var report = OnnxParity.Verify(model, onnx, withEmpty);
        Assert.True(report.MaxAbsDifferenceAnyOutput <= 1e-5, report.ToString());

        // ...the empty rows' results are the documented ones, and the other rows are what they are without them.
        var with = Score(onnx, withEmpty, task, cell);
        var without = Score(onnx, companions, task, cell);
        int F = model.Config.FeatureSize;
        Assert.All(Row(with["last_hidden"], 1, F), v => Assert.Equal(0f, v));
        Assert.All(Row(with["hidden_states"], 1, with["hidden_states"].Length / withEmpty.Length), v => Assert.Equal(0f, v));
        if (task == RnnTask.SequenceClassification)
        {
            // Head applied to the zero initial state: softmax(head.bias).
            var bias = model.named_parameters().Single(p => p.name == "head.bias").parameter;
            float[] expected = bias.softmax(0).data<float>().ToArray();
            Assert.Equal(expected, Row(with["probabilities"], 4, expected.Length), new FloatTolerance(1e-6f));
        }
        int[] map = [0, 2, 3, 5];
        foreach (var name in without.Keys.Where(n => n is "probabilities" or "last_hidden" or "log_probs"))
        {
            int rowWithout = without[name].Length / companions.Length, rowWith = with[name].Length / withEmpty.Length;
            for (int i = 0; i < companions.Length; i++)
            {
                int valid = name == "last_hidden" || task == RnnTask.SequenceClassification ? rowWithout : companions[i].Length * (rowWithout / 9);
                var a = Row(without[name], i, rowWithout).Take(valid);
                var b = Row(with[name], map[i], rowWith).Take(valid);
                Assert.Equal(a, b, new FloatTolerance(1e-6f));
            }
        }
    }

    [Fact]
    public void Metadata_DescribesTheModel_AndOrtReadsIt()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, layers: 2, bidirectional: true);
        var vocabulary = Enumerable.Range(0, ExportFixtures.VocabSize).Select(i => i switch { 0 => "<pad>", 1 => "<unk>", _ => "w" + i }).ToList();
        var options = new OnnxExportOptions
        {
            Vocabulary = vocabulary,
            Labels = ["neg", "neu", "pos"],
            Tokenization = new TokenizationSettings(TokenizationLevel.Word, lowercase: true),
            Metrics = new Dictionary<string, double> { ["val_accuracy"] = 0.75 },
            Description = "test model",
        };

        using var session = new InferenceSession(OnnxExporter.Export(model, options));
        var meta = session.ModelMetadata;
        var map = meta.CustomMetadataMap;

        Assert.Equal("MlNetRnn", meta.ProducerName);
        Assert.Equal("test model", meta.Description);
        Assert.Equal("1", map["mlnetrnn.format_version"]);
        Assert.Equal("sequence_classification", map["mlnetrnn.task"]);
        Assert.Equal("gru", map["mlnetrnn.cell"]);
        Assert.Equal("2", map["mlnetrnn.num_layers"]);
        Assert.Equal("2", map["mlnetrnn.num_directions"]);
        Assert.Equal("8", map["mlnetrnn.embedding_dim"]);
        Assert.Equal("12", map["mlnetrnn.hidden_size"]);
        Assert.Equal("30", map["mlnetrnn.vocab_size"]);
        Assert.Equal("3", map["mlnetrnn.num_classes"]);
        Assert.Equal("0", map["mlnetrnn.pad_id"]);
        Assert.Equal("1", map["mlnetrnn.unk_id"]);
        Assert.Equal(vocabulary, JsonSerializer.Deserialize<List<string>>(map["mlnetrnn.vocabulary"]));
        Assert.Equal(["neg", "neu", "pos"], JsonSerializer.Deserialize<List<string>>(map["mlnetrnn.labels"])!);
        using (var tokenization = JsonDocument.Parse(map["mlnetrnn.tokenization"]))
        {
            Assert.Equal("word", tokenization.RootElement.GetProperty("level").GetString());
            Assert.True(tokenization.RootElement.GetProperty("lowercase").GetBoolean());
            Assert.Equal(TokenizationSettings.DefaultWordPattern, tokenization.RootElement.GetProperty("pattern").GetString());
        }
        Assert.Equal(0.75, JsonSerializer.Deserialize<Dictionary<string, double>>(map["mlnetrnn.metrics"])!["val_accuracy"]);
        Assert.Equal(OnnxExporter.ProducerVersion, map["mlnetrnn.producer_version"]);
        Assert.Equal(["input_ids", "lengths"], session.InputMetadata.Keys);
        Assert.Equal(["hidden_states", "last_hidden", "probabilities", "predicted_label"], session.OutputMetadata.Keys.OrderBy(k => k == "hidden_states" ? 0 : k == "last_hidden" ? 1 : k == "probabilities" ? 2 : 3));
    }

    [Fact]
    public void For_TakesVocabularyLabelsAndTokenizationFromTheLibrarysTypes()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["abc abd"], lowercase: false);
        var options = OnnxExportOptions.For(vocabulary, LabelSet.FromNames(["x", "y"]));

        Assert.Equal(vocabulary.Tokens, options.Vocabulary);
        Assert.Equal(["x", "y"], options.Labels);
        Assert.Equal(vocabulary.Settings, options.Tokenization);
        Assert.Equal(Vocabulary.UnkId, options.UnkId);
    }

    [Fact]
    public void Session_AcceptsAnyBatchAndSequenceLength()
    {
        using var model = ExportFixtures.Model(RnnTask.TokenClassification, RnnCellType.Lstm, layers: 1, bidirectional: true);
        byte[] onnx = OnnxExporter.Export(model);
        using var session = new InferenceSession(onnx);

        Assert.All(session.InputMetadata["input_ids"].Dimensions, d => Assert.Equal(-1, d));
        foreach (var (batch, seq) in new[] { (1, 1), (3, 17), (64, 5) })
        {
            var sequences = Enumerable.Range(0, batch).Select(i => Enumerable.Repeat(2 + i % 20, seq).ToArray()).ToArray();
            var probabilities = Score(onnx, sequences, RnnTask.TokenClassification, RnnCellType.Lstm)["probabilities"];
            Assert.Equal(batch * seq * ExportFixtures.Classes, probabilities.Length);
        }
    }

    [Fact]
    public void Export_RefusesAVocabularyOfTheWrongSize()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, new OnnxExportOptions { Vocabulary = ["<pad>", "<unk>", "a"] }));
        Assert.Contains("expected 30 tokens", e.Message);
        Assert.Contains("got 3", e.Message);
    }

    [Fact]
    public void Export_RefusesLabelsThatDoNotMatchTheClasses()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, new OnnxExportOptions { Labels = ["a", "b"] }));
        Assert.Contains("expected 3 names", e.Message);
        Assert.Contains("got 2", e.Message);
    }

    [Fact]
    public void Export_RefusesLabelsForALanguageModel()
    {
        using var model = ExportFixtures.Model(RnnTask.LanguageModel, RnnCellType.Gru, 1, false);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, new OnnxExportOptions { Labels = ["a"] }));
        Assert.Contains("language model", e.Message);
    }

    [Fact]
    public void Export_RefusesOutOfRangeUnkId()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);
        var options = new OnnxExportOptions { UnkId = 30 };
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, options));
        Assert.Contains("UnkId", e.Message);
    }

    [Fact]
    public void Export_RefusesNonFloat32Weights()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, 1, false);
        model.to(torch.ScalarType.Float64);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model));
        Assert.Contains("expected float32, got Float64", e.Message);
    }

    [Fact]
    public void Export_RefusesNonFiniteWeights()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, 1, false);
        using (torch.no_grad())
            model.named_parameters().Single(p => p.name == "head.bias").parameter[1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model));
        Assert.Contains("'head.bias'", e.Message);
        Assert.Contains("expected finite values, got NaN at flat index 1", e.Message);
    }

    [Fact]
    public void Export_ToFile_WritesTheSameBytes()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.RnnRelu, 1, false);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetrnn-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            Assert.Equal(OnnxExporter.Export(model), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Row(float[] values, int row, int width) => values.AsSpan(row * width, width).ToArray();

    /// <summary>Runs ORT on padded sequences (zero start state for LMs) and returns every float output, flattened.</summary>
    private static Dictionary<string, float[]> Score(byte[] onnx, int[][] sequences, RnnTask task, RnnCellType cell)
    {
        using var session = new InferenceSession(onnx);
        int B = sequences.Length, T = Math.Max(1, sequences.Max(s => s.Length));
        var ids = new long[B * T];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < sequences[b].Length; t++)
                ids[b * T + t] = sequences[b][t];
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [B, T]),
            OrtValue.CreateTensorValueFromMemory(sequences.Select(s => (long)s.Length).ToArray(), [B]),
        };
        var names = new List<string> { "input_ids", "lengths" };
        if (task == RnnTask.LanguageModel)
        {
            long[] shape = [2, B, ExportFixtures.HiddenSize];
            names.Add("initial_h");
            values.Add(OrtValue.CreateTensorValueFromMemory(new float[2 * B * ExportFixtures.HiddenSize], shape));
            if (cell == RnnCellType.Lstm)
            {
                names.Add("initial_c");
                values.Add(OrtValue.CreateTensorValueFromMemory(new float[2 * B * ExportFixtures.HiddenSize], shape));
            }
        }
        try
        {
            var outputs = session.OutputMetadata.Where(o => o.Value.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float).Select(o => o.Key).ToArray();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, outputs);
            return outputs.Select((name, i) => (name, results[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(x => x.name, x => x.Item2);
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
