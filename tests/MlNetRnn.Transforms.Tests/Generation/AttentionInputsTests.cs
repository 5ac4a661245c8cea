using MlNetRnn.Transforms.Generation;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class AttentionInputsTests
{
    // 3 rows, source length 2, 2 features: row r's values are r*10 + position*2 + feature.
    private static readonly BatchTensor<float> Outputs = new([.. Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 4).Select(i => (r * 10f) + i))], [3, 2, 2], 0);
    private static readonly long[] Lengths = [2, 1, 2];

    [Fact]
    public void For_GivesEveryHypothesisItsRowsOutputsAndLength_AsTheStepsRowsChange()
    {
        var inputs = new AttentionInputs(Outputs, Lengths);
        int[][] steps = [[0, 1, 2], [0, 0, 0, 1, 1, 2, 2, 2], [0, 0, 1, 2, 2, 2], [0, 0, 1, 2, 2, 2], [2], [1, 2]];

        foreach (var rows in steps)
        {
            var (outputs, lengths) = inputs.For(rows);

            Assert.Equal(Outputs.Gather(rows).Data, outputs.ToArray());
            Assert.Equal(rows.Select(r => Lengths[r]), lengths.ToArray());
        }
    }

    [Fact]
    public void For_CopiesOnlySlotsWhoseRowChanged()
    {
        var inputs = new AttentionInputs(Outputs, Lengths);
        inputs.For([0, 0, 0, 1, 1, 1, 2, 2, 2]);
        Assert.Equal(9, inputs.CopiedSlots);

        inputs.For([0, 0, 0, 1, 1, 1, 2, 2, 2]);                    // no hypothesis finished
        Assert.Equal(9, inputs.CopiedSlots);

        inputs.For([0, 0, 1, 1, 1, 2, 2, 2]);                       // one of row 0 finished: slots 2 (0 → 1) and 5 (1 → 2) change
        Assert.Equal(11, inputs.CopiedSlots);
    }

    [Fact]
    public void For_RowOutsideTheEncodedRows_Throws()
    {
        var inputs = new AttentionInputs(Outputs, Lengths);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => inputs.For([0, 3]));
        Assert.Contains("[0, 3)", e.Message);
    }
}
