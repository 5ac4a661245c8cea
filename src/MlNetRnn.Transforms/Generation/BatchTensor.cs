namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// A dense tensor with one batch axis (a decoder state, the encoder outputs, the conditions), owned by managed code so rows
/// can be reordered and dropped between decoder steps without touching native memory.
/// </summary>
internal sealed class BatchTensor<T>
    where T : unmanaged
{
    public BatchTensor(T[] data, int[] shape, int batchAxis)
    {
        if (batchAxis < 0 || batchAxis >= shape.Length)
            throw new ArgumentOutOfRangeException(nameof(batchAxis), batchAxis, $"Expected a batch axis in [0, {shape.Length}).");
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values, got {data.Length}.", nameof(data));
        Data = data;
        Shape = shape;
        BatchAxis = batchAxis;
    }

    public T[] Data { get; }

    public int[] Shape { get; }

    public int BatchAxis { get; }

    public int BatchSize => Shape[BatchAxis];

    public long[] LongShape => Array.ConvertAll(Shape, d => (long)d);

    /// <summary>The rows <paramref name="rows"/> (indices along the batch axis, repeats allowed) in that order.</summary>
    public BatchTensor<T> Gather(ReadOnlySpan<int> rows)
    {
        int outer = 1, inner = 1;
        for (int a = 0; a < BatchAxis; a++)
            outer *= Shape[a];
        for (int a = BatchAxis + 1; a < Shape.Length; a++)
            inner *= Shape[a];
        int batch = BatchSize, n = rows.Length;
        var result = GC.AllocateUninitializedArray<T>(outer * n * inner); // every value is written below
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < n; j++)
            {
                int row = rows[j];
                if ((uint)row >= (uint)batch)
                    throw new ArgumentOutOfRangeException(nameof(rows), row, $"Expected rows in [0, {batch}).");
                Array.Copy(Data, ((o * batch) + row) * inner, result, ((o * n) + j) * inner, inner);
            }
        }

        var shape = (int[])Shape.Clone();
        shape[BatchAxis] = n;
        return new BatchTensor<T>(result, shape, BatchAxis);
    }
}
