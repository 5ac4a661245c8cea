using MlNetRnn.Training.Analysis;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Analysis;

[Collection(TorchCollection.Name)]
public sealed class UnrolledRecurrenceTests
{
    public static TheoryData<RnnCellType, int> CellsAndLayers()
    {
        var data = new TheoryData<RnnCellType, int>();
        foreach (var cell in Enum.GetValues<RnnCellType>())
        {
            data.Add(cell, 1);
            data.Add(cell, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndLayers))]
    public void Run_EqualsModelForward(RnnCellType cell, int layers)
    {
        using var scope = NewDisposeScope();
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, cell, layers: layers, classes: 3);
        model.eval();
        const int T = 7, B = 3;
        manual_seed(5);
        var ids = randint(2, TinyTasks.VocabSize, [T, B], dtype: ScalarType.Int64);
        var lengths = full([B], T, dtype: ScalarType.Int64);

        var expected = model.forward(ids, lengths);
        var (hidden, lastLogits) = UnrolledRecurrence.Run(model, ids);

        var lastLayer = stack(hidden[^1], 0);                                   // (T, B, H)
        var finals = stack(hidden.Select(h => h[^1]), 0);                       // (L, B, H)
        Assert.True(lastLayer.allclose(expected.HiddenStates, rtol: 0, atol: 1e-5), "last layer's states differ");
        Assert.True(finals.allclose(expected.FinalHidden, rtol: 0, atol: 1e-5), "final states differ");
        Assert.True(lastLogits.allclose(expected.Logits, rtol: 0, atol: 1e-5), "logits differ");
    }
}
