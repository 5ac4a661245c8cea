namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The attention inputs of the decoder steps of one search: each hypothesis's encoder outputs and source length, gathered
/// from the encoded rows into buffers kept from step to step. A hypothesis slot is copied only when the row it holds
/// changed, so between steps only the slots after a finished hypothesis or row move (not the whole [hypotheses, S, F]).
/// </summary>
/// <remarks>Not thread-safe: it belongs to one <see cref="EncodedRows"/>, which one search uses at a time.</remarks>
internal sealed class AttentionInputs(BatchTensor<float> encoderOutputs, long[] sourceLengths)
{
    private int[] rows = [];
    private float[] outputs = [];
    private long[] lengths = [];

    /// <summary>Slots copied since creation (for tests: a step whose hypotheses keep their rows copies none).</summary>
    public long CopiedSlots { get; private set; }

    /// <summary>
    /// The encoder outputs [n, S, F] (the first n·S·F values) and source lengths [n] (the first n) of the hypotheses whose rows
    /// are <paramref name="rowOfHypothesis"/>. The buffers are overwritten by the next call.
    /// </summary>
    public (Memory<float> Outputs, Memory<long> Lengths) For(int[] rowOfHypothesis)
    {
        int n = rowOfHypothesis.Length, block = encoderOutputs.Shape[1] * encoderOutputs.Shape[2];
        if (n > rows.Length)
        {
            // Grows at most twice per search (first step: one hypothesis per row; second: up to the beam size per row).
            var grown = new int[n];
            Array.Fill(grown, -1);
            rows.CopyTo(grown, 0);
            Array.Resize(ref outputs, n * block);
            Array.Resize(ref lengths, n);
            rows = grown;
        }

        for (int j = 0; j < n; j++)
        {
            int row = rowOfHypothesis[j];
            if (rows[j] == row)
                continue;
            if ((uint)row >= (uint)encoderOutputs.BatchSize)
                throw new ArgumentOutOfRangeException(nameof(rowOfHypothesis), row, $"Expected rows in [0, {encoderOutputs.BatchSize}).");
            Array.Copy(encoderOutputs.Data, row * block, outputs, j * block, block);
            lengths[j] = sourceLengths[row];
            rows[j] = row;
            CopiedSlots++;
        }

        return (outputs.AsMemory(0, n * block), lengths.AsMemory(0, n));
    }
}
