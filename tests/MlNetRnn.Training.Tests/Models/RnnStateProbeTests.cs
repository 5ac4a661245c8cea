using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class RnnStateProbeTests
{
    private const float Tolerance = 1e-5f;

    public static TheoryData<RnnTask, RnnCellType, int, bool> AllShapes() => RnnSequenceModelTests.AllShapes();

    [Theory]
    [MemberData(nameof(AllShapes))]
    public void Run_LastLayerAndFinalStatesEqualTheForwardPass(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        using var scope = NewDisposeScope();
        using var model = RnnSequenceModelTests.CreateModel(task, cell, layers, bidirectional);
        var config = model.Config;
        int LD = config.NumLayers * config.NumDirections;
        var (ids, lengths) = Batch([[6, 2, 9, 3, 3, 8, 10, 2, 5], [], [3, 5, 2, 7, 4], [11]], padTo: 10);
        manual_seed(3);
        var h0 = randn(LD, 4, config.HiddenSize);
        var c0 = cell == RnnCellType.Lstm ? randn(LD, 4, config.HiddenSize) : null;

        using var noGrad = no_grad();
        var expected = model.forward(ids, lengths, h0, c0);
        var states = RnnStateProbe.Run(model, ids, lengths, h0, c0);

        Assert.Equal(new long[] { 10, 4, layers, config.FeatureSize }, states.Hidden.shape);
        AssertClose(expected.HiddenStates, states.Hidden.select(2, layers - 1), "last layer's hidden states");
        AssertClose(expected.FinalHidden, states.FinalHidden, "final hidden");
        Assert.Equal(cell == RnnCellType.Lstm, states.Cell is not null);
        if (cell == RnnCellType.Lstm)
        {
            AssertClose(expected.FinalCell!, states.FinalCell!, "final cell");
            Assert.Equal(states.Hidden.shape, states.Cell!.shape);
        }
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, true)]
    [InlineData(RnnCellType.Gru, false)]
    [InlineData(RnnCellType.RnnRelu, true)]
    public void Run_EveryLayer_SequenceAloneEqualsSequenceInPaddedBatch_AndIsZeroPastItsLength(RnnCellType cell, bool bidirectional)
    {
        using var scope = NewDisposeScope();
        using var model = RnnSequenceModelTests.CreateModel(RnnTask.TokenClassification, cell, 2, bidirectional);
        long[] target = [3, 5, 2, 7, 4];
        var (aloneIds, aloneLengths) = Batch([target], padTo: target.Length);
        var (batchIds, batchLengths) = Batch([[6, 2, 9, 3, 3, 8, 10, 2, 5], target, [11, 4]], padTo: 12);

        using var noGrad = no_grad();
        var alone = RnnStateProbe.Run(model, aloneIds, aloneLengths);
        var together = RnnStateProbe.Run(model, batchIds, batchLengths);

        AssertClose(alone.Hidden.select(1, 0), together.Hidden.select(1, 1).narrow(0, 0, target.Length), "hidden");
        Assert.Equal(0f, together.Hidden.select(1, 1).narrow(0, target.Length, 12 - target.Length).abs().max().item<float>());
        if (cell == RnnCellType.Lstm)
        {
            AssertClose(alone.Cell!.select(1, 0), together.Cell!.select(1, 1).narrow(0, 0, target.Length), "cell");
            Assert.Equal(0f, together.Cell!.select(1, 1).narrow(0, target.Length, 12 - target.Length).abs().max().item<float>());
        }
    }

    [Fact]
    public void Run_LstmCellStatesOfEveryLayer_EqualHandWrittenCellSteps()
    {
        using var scope = NewDisposeScope();
        using var model = RnnSequenceModelTests.CreateModel(RnnTask.LanguageModel, RnnCellType.Lstm, 2, false);
        long[] tokens = [3, 5, 2, 7, 4, 9];
        var w = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        var x = w["embedding.weight"].index_select(0, tensor(tokens));       // (T, E)
        int H = model.Config.HiddenSize;
        var expectedH = new Tensor[2][];
        var expectedC = new Tensor[2][];
        for (int k = 0; k < 2; k++)
        {
            var h = zeros(1, H);
            var c = zeros(1, H);
            expectedH[k] = new Tensor[tokens.Length];
            expectedC[k] = new Tensor[tokens.Length];
            for (int t = 0; t < tokens.Length; t++)
            {
                var gates = x[t].unsqueeze(0).matmul(w[$"rnn.weight_ih_l{k}"].t()) + w[$"rnn.bias_ih_l{k}"]
                    + h.matmul(w[$"rnn.weight_hh_l{k}"].t()) + w[$"rnn.bias_hh_l{k}"];
                var g = gates.chunk(4, 1);                                  // torch order i, f, g, o
                c = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2]);
                h = sigmoid(g[3]) * tanh(c);
                (expectedH[k][t], expectedC[k][t]) = (h.squeeze(0), c.squeeze(0));
            }

            x = stack(expectedH[k], 0);                                     // next layer's input (T, H)
        }

        using var noGrad = no_grad();
        var states = RnnStateProbe.Run(model, tensor(tokens, [tokens.Length, 1], ScalarType.Int64), tensor(new long[] { tokens.Length }));

        for (int k = 0; k < 2; k++)
        {
            AssertClose(stack(expectedC[k], 0), states.Cell!.select(1, 0).select(1, k), $"layer {k} cell states");
            AssertClose(stack(expectedH[k], 0), states.Hidden.select(1, 0).select(1, k), $"layer {k} hidden states");
        }
    }

    [Fact]
    public void Run_WithGradientsEnabled_GradientsReachTheFirstLayersRecurrentWeights()
    {
        using var scope = NewDisposeScope();
        using var model = RnnSequenceModelTests.CreateModel(RnnTask.LanguageModel, RnnCellType.Lstm, 2, false);
        var (ids, lengths) = Batch([[1, 2, 3, 4]], padTo: 4);

        using var grad = enable_grad();
        var states = RnnStateProbe.Run(model, ids, lengths);
        states.Cell!.select(0, 3).select(1, 0).sum().backward();             // layer 1's cell state at the last step

        var weight = model.named_parameters().Single(p => p.name == "rnn.weight_hh_l0").parameter;
        Assert.NotNull(weight.grad);
        Assert.True(weight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Run_RejectsAnInitialStateOfTheWrongShape()
    {
        using var scope = NewDisposeScope();
        using var model = RnnSequenceModelTests.CreateModel(RnnTask.LanguageModel, RnnCellType.Gru, 2, false);
        var (ids, lengths) = Batch([[1, 2, 3]], padTo: 3);

        var error = Assert.Throws<ArgumentException>(() => RnnStateProbe.Run(model, ids, lengths, zeros(1, 1, model.Config.HiddenSize)));
        Assert.Contains("h0", error.Message);
        Assert.Contains($"(2, 1, {model.Config.HiddenSize})", error.Message);
    }

    private static (Tensor Ids, Tensor Lengths) Batch(long[][] sequences, int padTo)
    {
        int B = sequences.Length;
        var ids = new long[padTo * B];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < sequences[b].Length; t++)
                ids[t * B + b] = sequences[b][t];
        }

        return (tensor(ids, [padTo, B], ScalarType.Int64), tensor(sequences.Select(s => (long)s.Length).ToArray(), [B], ScalarType.Int64));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        float difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"{what}: largest difference {difference} exceeds {Tolerance}.");
    }
}
