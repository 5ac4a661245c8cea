using static TorchSharp.torch;

namespace MlNetRnn.Training.Data;

/// <summary>
/// One long token stream laid out as <see cref="BatchSize"/> parallel streams and cut into chunks for truncated
/// backpropagation through time (a language model's training and evaluation data).
/// </summary>
/// <remarks>
/// <para>
/// The stream of N ids is cut into B consecutive pieces of <c>R = N / B</c> ids (the last <c>N mod B</c> ids are dropped) and
/// stored once as a time-major int64 tensor <c>(R, B)</c>: column b is piece b. Chunk i covers rows
/// <c>[i·K, i·K + k)</c> with <c>k = min(K, R − 1 − i·K)</c>; its targets are the same rows shifted by one. Chunks are views of
/// the stored tensor (no copies), and consecutive chunks continue each column, so a hidden state carried from one chunk to
/// the next sees the text in order. Every epoch predicts <see cref="TargetCount"/> tokens: all but each column's first.
/// </para>
/// <para>The instance owns the stored tensor and is disposed by its creator. Not thread-safe.</para>
/// </remarks>
public sealed class TokenStreamBatches : IDisposable
{
    private readonly Tensor data;

    /// <summary>Lays out a stream.</summary>
    /// <param name="stream">The token ids, in text order.</param>
    /// <param name="batchSize">Number of parallel streams, <c>B</c> (≥ 1).</param>
    /// <param name="chunkLength">Steps per chunk, <c>K</c> (≥ 1): how far back gradients flow.</param>
    /// <param name="device">Where to store the ids; <see langword="null"/> for the CPU.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> or <paramref name="chunkLength"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The stream is shorter than <c>2·B</c> ids (each column needs an input and a target).</exception>
    public TokenStreamBatches(IReadOnlyList<int> stream, int batchSize, int chunkLength, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        if (stream.Count < 2L * batchSize)
            throw new ArgumentException($"{nameof(stream)}: expected at least 2 × batch size = {2L * batchSize} ids, got {stream.Count}.", nameof(stream));

        BatchSize = batchSize;
        ChunkLength = chunkLength;
        Rows = stream.Count / batchSize;
        ChunkCount = (Rows - 1 + chunkLength - 1) / chunkLength;
        TargetCount = (long)(Rows - 1) * batchSize;

        var layout = new long[(long)Rows * batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            int offset = b * Rows;
            for (int r = 0; r < Rows; r++)
                layout[(long)r * batchSize + b] = stream[offset + r];
        }

        data = tensor(layout, [Rows, batchSize], ScalarType.Int64, device ?? CPU);
    }

    /// <summary>Number of parallel streams, <c>B</c>.</summary>
    public int BatchSize { get; }

    /// <summary>Steps per full chunk, <c>K</c>.</summary>
    public int ChunkLength { get; }

    /// <summary>Ids per column, <c>R = N / B</c>.</summary>
    public int Rows { get; }

    /// <summary>Number of chunks per pass over the stream (the last may be shorter than <see cref="ChunkLength"/>).</summary>
    public int ChunkCount { get; }

    /// <summary>Number of predicted tokens per pass: <c>(R − 1) · B</c>.</summary>
    public long TargetCount { get; }

    /// <summary>Inputs and targets of one chunk, both int64 <c>(k, B)</c> views of the stored stream.</summary>
    /// <param name="index">The chunk index in <c>[0, ChunkCount)</c>.</param>
    /// <returns>New tensor handles owned by the caller (a surrounding <c>DisposeScope</c> disposes them).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside <c>[0, ChunkCount)</c>.</exception>
    /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
    public (Tensor Input, Tensor Target) GetChunk(int index)
    {
        if ((uint)index >= (uint)ChunkCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{nameof(index)}: expected a chunk index in [0, {ChunkCount}), got {index}.");
        ObjectDisposedException.ThrowIf(data.IsInvalid, this);
        int start = index * ChunkLength;
        int k = ChunkSteps(index);
        return (data.narrow(0, start, k), data.narrow(0, start + 1, k));
    }

    /// <summary>Number of steps of a chunk: <see cref="ChunkLength"/>, or fewer for the last one.</summary>
    /// <param name="index">The chunk index in <c>[0, ChunkCount)</c>.</param>
    /// <returns>The chunk's number of steps, <c>k</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside <c>[0, ChunkCount)</c>.</exception>
    public int ChunkSteps(int index)
    {
        if ((uint)index >= (uint)ChunkCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{nameof(index)}: expected a chunk index in [0, {ChunkCount}), got {index}.");
        return Math.Min(ChunkLength, Rows - 1 - index * ChunkLength);
    }

    /// <summary>Releases the stored stream. Calling it twice is harmless.</summary>
    public void Dispose() => data.Dispose();
}
