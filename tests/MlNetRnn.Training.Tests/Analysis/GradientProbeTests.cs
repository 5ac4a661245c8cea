using MlNetRnn.Training.Analysis;
using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Xunit;

namespace MlNetRnn.Training.Tests.Analysis;

[Collection(TorchCollection.Name)]
public sealed class GradientProbeTests
{
    public static TheoryData<RnnCellType, int> CellsAndLayers() => new()
    {
        { RnnCellType.RnnTanh, 1 }, { RnnCellType.Lstm, 1 }, { RnnCellType.Gru, 1 }, { RnnCellType.Lstm, 2 }, { RnnCellType.Gru, 2 },
    };

    [Theory]
    [MemberData(nameof(CellsAndLayers))]
    public void Measure_TopLayerEqualsAutogradOfModelForwardStartedFromThatStepsState(RnnCellType cell, int layers)
    {
        // Independent check through torch's fused kernels: run the model's own forward over the prefix to get (h_t, c_t), then
        // from that state over the rest; autograd's ∂L/∂h0 of the second run is ∂L_T/∂h_t of the top layer (lower layers also
        // reach L through the layer above at step t, which this check does not see).
        using var scope = NewDisposeScope();
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, cell, layers: layers, classes: 3);
        model.eval();
        var (sequences, targets) = RandomBatch(count: 4, length: 6, classes: 3, seed: 8);

        var profile = GradientProbe.Measure(model, sequences, targets)[^1];

        var ids = Ids(sequences);
        var target = tensor(targets.Select(x => (long)x).ToArray());
        for (int t = 0; t < 5; t++)
        {
            var prefix = model.forward(ids[..(t + 1)].contiguous(), full([4], t + 1, dtype: ScalarType.Int64));
            var h0 = prefix.FinalHidden.detach().requires_grad_(true);
            var suffix = model.forward(ids[(t + 1)..].contiguous(), full([4], 5 - t, dtype: ScalarType.Int64), h0, prefix.FinalCell?.detach());
            var loss = cross_entropy(suffix.Logits, target, reduction: nn.Reduction.Sum);
            var g = autograd.grad([loss], [h0])[0][-1];                                             // (B, H)
            double expectedNorm = g.square().sum(1).sqrt().mean().item<float>();
            var expectedAbs = g.abs().mean([0L]).data<float>().ToArray();

            Assert.Equal(expectedNorm, profile.MeanNorm[t], expectedNorm * 1e-4);
            for (int u = 0; u < profile.Units; u++)
                Assert.Equal(expectedAbs[u], profile.MeanAbs[t * profile.Units + u], 1e-5f);
        }
    }

    [Fact]
    public void Measure_LstmGradientAtDistance20ExceedsVanillaRnns()
    {
        using var lstm = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, hidden: 16, seed: 1);
        using var rnn = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnTanh, hidden: 16, seed: 1);
        var (sequences, targets) = RandomBatch(count: 32, length: 30, classes: 2, seed: 4);

        double lstmNorm = GradientProbe.Measure(lstm, sequences, targets)[0].NormAtDistance(20);
        double rnnNorm = GradientProbe.Measure(rnn, sequences, targets)[0].NormAtDistance(20);

        Assert.True(lstmNorm > rnnNorm, $"LSTM {lstmNorm:E3} vs RNN {rnnNorm:E3} at distance 20");
    }

    [Fact]
    public void Measure_ScaledRecurrentWeightsMakeTheGradientGrowWithDistance()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.RnnTanh, hidden: 16, seed: 1);
        var (sequences, targets) = RandomBatch(count: 32, length: 30, classes: 2, seed: 4);
        var plain = GradientProbe.Measure(model, sequences, targets)[0];

        RecurrentInitialization.ScaleRecurrentWeights(model, 4.0);
        var scaled = GradientProbe.Measure(model, sequences, targets)[0];

        Assert.True(plain.NormAtDistance(20) < plain.NormAtDistance(0), $"unscaled: {plain.NormAtDistance(20):E3} at 20 vs {plain.NormAtDistance(0):E3} at 0");
        Assert.True(scaled.NormAtDistance(20) > scaled.NormAtDistance(0), $"scaled: {scaled.NormAtDistance(20):E3} at 20 vs {scaled.NormAtDistance(0):E3} at 0");
    }

    [Fact]
    public void Measure_LeavesWeightsAndTheirGradientsUntouched()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, layers: 2);
        var before = TinyTasks.Weights(model);
        var (sequences, targets) = RandomBatch(count: 3, length: 5, classes: 2, seed: 1);

        GradientProbe.Measure(model, sequences, targets);

        Assert.Equal(before, TinyTasks.Weights(model));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null, "a parameter received a gradient"));
    }

    [Fact]
    public void Measure_GivesOneProfilePerLayerWithStepsAndUnits()
    {
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Gru, layers: 2, hidden: 5);
        var (sequences, targets) = RandomBatch(count: 2, length: 4, classes: TinyTasks.VocabSize, seed: 1);

        var profiles = GradientProbe.Measure(model, sequences, targets);

        Assert.Equal([0, 1], profiles.Select(p => p.Layer));
        Assert.All(profiles, p =>
        {
            Assert.Equal(4, p.Steps);
            Assert.Equal(5, p.Units);
            Assert.Equal(4 * 5, p.MeanAbs.Length);
            Assert.All(p.MeanNorm, n => Assert.True(double.IsFinite(n) && n > 0));
        });
    }

    [Fact]
    public void Measure_RejectsSequencesOfDifferentLengths()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification);

        var error = Assert.Throws<ArgumentException>(() => GradientProbe.Measure(model, [[2, 3, 4], [2, 3]], [0, 1]));

        Assert.Contains("sequences[1]", error.Message);
        Assert.Contains("got 2", error.Message);
    }

    [Fact]
    public void Measure_RejectsBidirectionalModel()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, bidirectional: true);

        var error = Assert.Throws<ArgumentException>(() => GradientProbe.Measure(model, [[2, 3]], [0]));

        Assert.Equal("model", error.ParamName);
    }

    [Fact]
    public void Measure_RejectsTargetOutOfRange()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, classes: 2);

        var error = Assert.Throws<ArgumentException>(() => GradientProbe.Measure(model, [[2, 3], [4, 5]], [1, 2]));

        Assert.Equal("targets", error.ParamName);
        Assert.Contains("targets[1]", error.Message);
        Assert.Contains("got 2", error.Message);
    }

    private static (int[][] Sequences, int[] Targets) RandomBatch(int count, int length, int classes, int seed)
    {
        var random = new Random(seed);
        var sequences = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(2, TinyTasks.VocabSize)).ToArray()).ToArray();
        var targets = Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
        return (sequences, targets);
    }

    private static Tensor Ids(int[][] sequences)
    {
        int T = sequences[0].Length, B = sequences.Length;
        var flat = new long[T * B];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < T; t++)
                flat[t * B + b] = sequences[b][t];
        }

        return tensor(flat, [T, B]);
    }
}
