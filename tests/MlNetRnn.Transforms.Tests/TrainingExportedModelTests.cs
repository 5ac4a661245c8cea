using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;
using static TorchSharp.torch;

namespace MlNetRnn.Transforms.Tests;

/// <summary>Models built, trained and exported by MlNetRnn.Training, scored here and compared with TorchSharp itself.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingExportedModelTests
{
    private const int Vocab = 15;
    private readonly MLContext ml = new(seed: 1);

    public static TheoryData<RnnTask, RnnCellType, int, bool> Configurations => new()
    {
        { RnnTask.SequenceClassification, RnnCellType.Lstm, 2, true },
        { RnnTask.SequenceClassification, RnnCellType.Gru, 1, false },
        { RnnTask.SequenceClassification, RnnCellType.RnnTanh, 2, false },
        { RnnTask.TokenClassification, RnnCellType.Gru, 2, true },
        { RnnTask.TokenClassification, RnnCellType.RnnRelu, 1, false },
        { RnnTask.LanguageModel, RnnCellType.Lstm, 2, false },
        { RnnTask.LanguageModel, RnnCellType.Gru, 1, false },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void BatchedScores_MatchTorchSharpOnTheSameModel(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        manual_seed(11);
        using var model = new RnnSequenceModel(new RnnModelConfig(task, cell, Vocab, EmbeddingDim: 6, HiddenSize: 7, NumLayers: layers,
            Bidirectional: bidirectional, NumClasses: task == RnnTask.LanguageModel ? 0 : 4));
        model.eval();
        byte[] onnx = OnnxExporter.Export(model);
        var sequences = RandomSequences(37, Vocab, seed: 12, minLength: 0, maxLength: 14, lowId: 2);
        var expected = TorchOutputs(model, sequences);

        var data = Load(ml, sequences);
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = onnx, BatchSize = 5, WindowSize = 16, HiddenStatesColumnName = "States", LastHiddenColumnName = "Last" }).Fit(data);
        var scored = transformer.Transform(data);
        var states = Vectors<float>(scored, "States");
        var last = Vectors<float>(scored, "Last");
        var actual = task switch
        {
            RnnTask.LanguageModel => Vectors<float>(scored, "TokenLogProbabilities"),
            _ => Vectors<float>(scored, "Score"),
        };
        for (int i = 0; i < sequences.Length; i++)
        {
            AssertClose(expected.Main[i], actual[i], 1e-4f, $"{task} row {i}");
            AssertClose(expected.States[i], states[i], 1e-4f, $"states row {i}");
            AssertClose(expected.Last[i], last[i], 1e-4f, $"last row {i}");
        }
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void TrainedTextClassifier_ScoresRawTextLikeTorchSharp_AndWorksWithMlNetEvaluators()
    {
        string[] positive = ["good movie", "great fun", "really good", "great and good", "fun fun", "good good good"];
        string[] negative = ["bad movie", "awful plot", "really bad", "bad and awful", "boring", "awful awful"];
        var texts = positive.Concat(negative).ToArray();
        var labels = LabelSet.Build(["neg", "pos"]);
        var vocabulary = Vocabulary.BuildWordLevel(texts);
        manual_seed(3);
        using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru, vocabulary.Count, EmbeddingDim: 8, HiddenSize: 8, NumClasses: 2));
        var examples = texts.Select((t, i) => new SequenceExample(vocabulary.Encode(t), i < positive.Length ? labels.IndexOf("pos") : labels.IndexOf("neg"))).ToArray();
        new ClassifierTrainer(new RnnTrainingOptions { Epochs = 40, BatchSize = 4, LearningRate = 0.05, Seed = 5 }).Train(model, examples, null);
        model.eval();
        byte[] onnx = OnnxExporter.Export(model, OnnxExportOptions.For(vocabulary, labels));

        var rows = texts.Select((t, i) => new LabeledText { Text = t, Label = i < positive.Length ? "pos" : "neg" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(labels.Names.Select(n => new LabelOnly { Label = n }).ToList()))
            .Append(ml.Transforms.ScoreRnnText(new RnnScoringOptions { ModelBytes = onnx, InputColumnName = "Text" }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
        var scored = pipeline.Fit(data).Transform(data);

        var torchProbabilities = TorchOutputs(model, texts.Select(t => vocabulary.Encode(t).Select(id => (long)id).ToArray()).ToArray()).Main;
        var scores = Vectors<float>(scored, "Score");
        for (int i = 0; i < texts.Length; i++)
            AssertClose(torchProbabilities[i], scores[i], 1e-5f, texts[i]);
        var predicted = Column<ReadOnlyMemory<char>>(scored, "PredictedName").Select(m => m.ToString()).ToList();
        Assert.Equal(torchProbabilities.Select(p => labels[Array.IndexOf(p, p.Max())]), predicted);

        var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "Label", scoreColumnName: "Score", predictedLabelColumnName: "PredictedLabel");
        Assert.Equal(predicted.Zip(rows, (p, r) => p == r.Label ? 1.0 : 0.0).Average(), metrics.MicroAccuracy, 6);
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
    }

    internal static (List<float[]> Main, List<float[]> States, List<float[]> Last) TorchOutputs(RnnSequenceModel model, long[][] sequences)
    {
        var config = model.Config;
        int B = sequences.Length, T = Math.Max(1, sequences.Max(s => s.Length));
        var flat = new long[T * B];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < sequences[b].Length; t++)
                flat[(t * B) + b] = sequences[b][t];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = model.forward(tensor(flat, [T, B]), tensor(sequences.Select(s => (long)s.Length).ToArray(), [B]));
        int F = config.FeatureSize, C = config.OutputSize;
        var hidden = output.HiddenStates.data<float>().ToArray();                      // (T, B, F)
        var finalHidden = output.FinalHidden.data<float>().ToArray();                  // (L*D, B, H)
        var main = new List<float[]>();
        var states = new List<float[]>();
        var last = new List<float[]>();
        float[] values = config.Task switch
        {
            RnnTask.SequenceClassification => output.Logits.softmax(-1).data<float>().ToArray(),      // (B, C)
            RnnTask.TokenClassification => output.Logits.softmax(-1).data<float>().ToArray(),         // (T, B, C)
            _ => output.Logits.log_softmax(-1).data<float>().ToArray(),                               // (T, B, V)
        };
        int L = config.NumLayers, D = config.NumDirections, H = config.HiddenSize;
        for (int b = 0; b < B; b++)
        {
            int length = sequences[b].Length;
            main.Add(config.Task switch
            {
                RnnTask.SequenceClassification => values.AsSpan(b * C, C).ToArray(),
                RnnTask.TokenClassification => Enumerable.Range(0, length).SelectMany(t => values.AsSpan(((t * B) + b) * C, C).ToArray()).ToArray(),
                _ => Enumerable.Range(0, Math.Max(0, length - 1)).Select(t => values[(((t * B) + b) * C) + (int)sequences[b][t + 1]]).ToArray(),
            });
            states.Add(Enumerable.Range(0, length).SelectMany(t => hidden.AsSpan(((t * B) + b) * F, F).ToArray()).ToArray());
            last.Add(Enumerable.Range(0, D).SelectMany(d => finalHidden.AsSpan(((((L - 1) * D) + d) * B + b) * H, H).ToArray()).ToArray());
        }

        return (main, states, last);
    }

    private sealed class LabelOnly
    {
        public string Label { get; set; } = string.Empty;
    }

    private sealed class LabeledText
    {
        public string Text { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;
    }
}
