using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using Xunit;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class EncoderDecoderModelTests
{
    [Theory]
    [InlineData(RnnCellType.Lstm, true, true)]
    [InlineData(RnnCellType.Gru, true, false)]
    [InlineData(RnnCellType.RnnTanh, false, true)]
    public void Forward_ARowPaddedLonger_GivesTheSameLogProbabilities(RnnCellType cell, bool attention, bool bidirectional)
    {
        using var model = GeneratorFixtures.Seq2Seq(cell, attention, bidirectional, layers: 2);
        int[] source = [3, 5, 2], longer = [4, 4, 6, 7, 8, 9, 10, 2, 3];
        int[] target = [3, 4, 5];

        float[] alone = LogProbs(model, [source], [target]);
        float[] padded = LogProbs(model, [longer, source], [target, target]);

        int perRow = alone.Length;                  // (T, 1, V) alone; (T, 2, V) batched: take row 1
        int V = GeneratorFixtures.TargetVocabSize, T = perRow / V;
        for (int t = 0; t < T; t++)
            for (int v = 0; v < V; v++)
                Assert.Equal(alone[t * V + v], padded[(t * 2 + 1) * V + v], 1e-5f);
    }

    [Fact]
    public void Encoder_PaddingBeyondTheLength_DoesNotChangeOutputsOrStates()
    {
        using var model = GeneratorFixtures.Seq2Seq(RnnCellType.Lstm, attention: true, bidirectional: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shortIds = tensor(new long[] { 3, 5, 2 }, [3, 1]);
        var paddedIds = tensor(new long[] { 3, 5, 2, 0, 0, 0 }, [6, 1]);
        var lengths = tensor(new long[] { 3 });

        var (a, aOut) = model.Start(shortIds, lengths);
        var (b, bOut) = model.Start(paddedIds, lengths);

        Assert.Equal(Floats(aOut), Floats(bOut.narrow(1, 0, 3)));
        Assert.All(Floats(bOut.narrow(1, 3, 3)), v => Assert.Equal(0f, v));
        Assert.Equal(Floats(a.State.H), Floats(b.State.H));
        Assert.Equal(Floats(a.State.C!), Floats(b.State.C!));
    }

    [Fact]
    public void Constructor_InvalidConfig_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Gru, 10, TargetVocabSize: 3, 4, 4)));
        Assert.Contains("TargetVocabSize", error.Message);
    }

    private static float[] LogProbs(EncoderDecoderModel model, int[][] sources, int[][] targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, lengths) = GeneratorBatches.Sources(sources, 0, CPU);
        var (inputs, _, _) = GeneratorBatches.Targets(targets, CPU);
        return Floats(model.forward(ids, lengths, inputs));
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();
}
