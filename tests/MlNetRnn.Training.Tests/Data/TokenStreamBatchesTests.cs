using MlNetRnn.Training.Data;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class TokenStreamBatchesTests
{
    [Fact]
    public void Layout_ColumnsAreConsecutivePiecesAndTargetsAreShiftedByOne()
    {
        int[] stream = Enumerable.Range(100, 23).ToArray();   // 23 ids, 3 columns of 7, 2 dropped

        using var batches = new TokenStreamBatches(stream, batchSize: 3, chunkLength: 4);

        Assert.Equal(7, batches.Rows);
        Assert.Equal(2, batches.ChunkCount);                 // 6 predicted steps: 4 + 2
        Assert.Equal(18, batches.TargetCount);
        using var scope = NewDisposeScope();
        var (x0, y0) = batches.GetChunk(0);
        var (x1, y1) = batches.GetChunk(1);
        Assert.Equal([4L, 3L], x0.shape);
        Assert.Equal([2L, 3L], x1.shape);
        // Column b holds ids 100 + 7b … 100 + 7b + 6.
        Assert.Equal(new long[] { 100, 107, 114, 101, 108, 115, 102, 109, 116, 103, 110, 117 }, x0.data<long>().ToArray());
        Assert.Equal(new long[] { 101, 108, 115, 102, 109, 116, 103, 110, 117, 104, 111, 118 }, y0.data<long>().ToArray());
        Assert.Equal(new long[] { 104, 111, 118, 105, 112, 119 }, x1.data<long>().ToArray());
        Assert.Equal(new long[] { 105, 112, 119, 106, 113, 120 }, y1.data<long>().ToArray());
    }

    [Fact]
    public void Constructor_RejectsStreamsTooShortForTheBatch()
    {
        var error = Assert.Throws<ArgumentException>(() => new TokenStreamBatches([1, 2, 3], batchSize: 2, chunkLength: 5));
        Assert.Contains("at least 2 × batch size = 4", error.Message);
    }

    [Fact]
    public void GetChunk_RejectsIndicesOutOfRange()
    {
        using var batches = new TokenStreamBatches(Enumerable.Range(0, 10).ToArray(), batchSize: 1, chunkLength: 5);

        Assert.Equal(2, batches.ChunkCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.GetChunk(2));
    }
}
