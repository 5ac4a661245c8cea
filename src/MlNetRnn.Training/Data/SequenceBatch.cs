using static TorchSharp.torch;

namespace MlNetRnn.Training.Data;

/// <summary>
/// One padded, time-major batch ready for <see cref="Models.RnnSequenceModel"/>: ids <c>(T, B)</c>, lengths <c>(B)</c> and targets.
/// </summary>
/// <remarks>
/// The batch owns its three tensors; <see cref="Dispose"/> releases them (a surrounding <c>DisposeScope</c> does too).
/// <c>T</c> is the longest length in the batch (at least 1, so an all-empty batch still has one padded step).
/// </remarks>
public sealed class SequenceBatch : IDisposable
{
    /// <summary>The target of a padded position in token-classification targets (cross-entropy's default ignore index).</summary>
    public const int IgnoredTarget = -100;

    private SequenceBatch(Tensor ids, Tensor lengths, Tensor targets, int[] indices, long tokenCount, Tensor? charIds = null, Tensor? charLengths = null)
    {
        CharIds = charIds;
        CharLengths = charLengths;
        Ids = ids;
        Lengths = lengths;
        Targets = targets;
        Indices = indices;
        TokenCount = tokenCount;
    }

    /// <summary>Token ids, int64 <c>(T, B)</c>, padded with the padding id.</summary>
    public Tensor Ids { get; }

    /// <summary>Valid length of each sequence, int64 <c>(B)</c>.</summary>
    public Tensor Lengths { get; }

    /// <summary>Class indices, int64: <c>(B)</c> for sequence labels, <c>(T, B)</c> for token tags with <see cref="IgnoredTarget"/> at padded positions.</summary>
    public Tensor Targets { get; }

    /// <summary>Character ids of each word, int64 <c>(T, B, W)</c> padded with 0, <c>W</c> the longest word (at least 1); <see langword="null"/> unless the examples have characters.</summary>
    public Tensor? CharIds { get; }

    /// <summary>Number of characters of each word, int64 <c>(T, B)</c>, 0 at padded positions; <see langword="null"/> unless the examples have characters.</summary>
    public Tensor? CharLengths { get; }

    /// <summary>Which examples the batch columns are, in column order.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Number of real (non-padding) tokens in the batch.</summary>
    public long TokenCount { get; }

    /// <summary>Number of sequences, <c>B</c>.</summary>
    public int Size => Indices.Count;

    /// <summary>Builds a sequence-classification batch.</summary>
    /// <param name="examples">All examples.</param>
    /// <param name="indices">Which examples to put in the batch, in column order (at least one).</param>
    /// <param name="device">Where to create the tensors; <see langword="null"/> for the CPU.</param>
    /// <param name="padId">The padding id.</param>
    /// <returns>The batch; <see cref="Targets"/> is <c>(B)</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <paramref name="examples"/>.</exception>
    public static SequenceBatch Create(IReadOnlyList<SequenceExample> examples, IReadOnlyList<int> indices, Device? device = null, int padId = Vocabulary.PadId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var (ids, lengths, T, tokenCount) = PadIds(examples.Count, i => examples[i].Ids, indices, padId);
        var targets = new long[indices.Count];
        for (int b = 0; b < targets.Length; b++)
            targets[b] = examples[indices[b]].Label;
        return Build(ids, lengths, targets, [T, indices.Count], [indices.Count], indices, tokenCount, device);
    }

    /// <summary>Builds a token-classification batch.</summary>
    /// <param name="examples">All examples.</param>
    /// <param name="indices">Which examples to put in the batch, in column order (at least one).</param>
    /// <param name="device">Where to create the tensors; <see langword="null"/> for the CPU.</param>
    /// <param name="padId">The padding id.</param>
    /// <returns>
    /// The batch; <see cref="Targets"/> is <c>(T, B)</c> with <see cref="IgnoredTarget"/> at padded positions; <see cref="CharIds"/>
    /// and <see cref="CharLengths"/> are set when the examples have characters.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty, or some of the chosen examples have characters and others not.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <paramref name="examples"/>.</exception>
    public static SequenceBatch Create(IReadOnlyList<TaggedSequence> examples, IReadOnlyList<int> indices, Device? device = null, int padId = Vocabulary.PadId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var (ids, lengths, T, tokenCount) = PadIds(examples.Count, i => examples[i].Ids, indices, padId);
        int B = indices.Count;
        var targets = new long[T * B];
        Array.Fill(targets, IgnoredTarget);
        for (int b = 0; b < B; b++)
        {
            int[] tags = examples[indices[b]].Tags;
            for (int t = 0; t < tags.Length; t++)
                targets[t * B + b] = tags[t];
        }

        var batch = Build(ids, lengths, targets, [T, B], [T, B], indices, tokenCount, device);
        int withChars = indices.Count(i => examples[i].Chars is not null);
        if (withChars == 0)
            return batch;
        if (withChars != B)
            throw new ArgumentException($"{nameof(examples)}: expected characters for all or none of the batch's examples, got them for {withChars} of {B}.", nameof(examples));
        var (charIds, charLengths) = PadChars(examples, indices, T, device ?? CPU);
        return new SequenceBatch(batch.Ids, batch.Lengths, batch.Targets, batch.Indices.ToArray(), tokenCount, charIds, charLengths);
    }

    private static (Tensor CharIds, Tensor CharLengths) PadChars(IReadOnlyList<TaggedSequence> examples, IReadOnlyList<int> indices, int T, Device device)
    {
        int B = indices.Count, W = 1;
        foreach (int index in indices)
        {
            foreach (int[] word in examples[index].Chars!)
                W = Math.Max(W, word.Length);
        }
        var charIds = new long[T * B * W];
        var charLengths = new long[T * B];
        for (int b = 0; b < B; b++)
        {
            int[][] words = examples[indices[b]].Chars!;
            for (int t = 0; t < words.Length; t++)
            {
                charLengths[t * B + b] = words[t].Length;
                for (int k = 0; k < words[t].Length; k++)
                    charIds[(t * B + b) * W + k] = words[t][k];
            }
        }
        return (tensor(charIds, [T, B, W], ScalarType.Int64, device), tensor(charLengths, [T, B], ScalarType.Int64, device));
    }

    /// <summary>Releases the tensors. Calling it twice is harmless.</summary>
    public void Dispose()
    {
        Ids.Dispose();
        Lengths.Dispose();
        Targets.Dispose();
        CharIds?.Dispose();
        CharLengths?.Dispose();
    }

    private static (long[] Ids, long[] Lengths, int T, long TokenCount) PadIds(int count, Func<int, int[]> idsOf, IReadOnlyList<int> indices, int padId)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
            throw new ArgumentException($"{nameof(indices)}: expected at least one example index, got none.", nameof(indices));
        int B = indices.Count, T = 1;
        long tokenCount = 0;
        var lengths = new long[B];
        for (int b = 0; b < B; b++)
        {
            int index = indices[b];
            if ((uint)index >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"{nameof(indices)}[{b}]: expected an example index in [0, {count}), got {index}.");
            int length = idsOf(index).Length;
            lengths[b] = length;
            tokenCount += length;
            T = Math.Max(T, length);
        }

        var ids = new long[T * B];
        if (padId != 0)
            Array.Fill(ids, padId);
        for (int b = 0; b < B; b++)
        {
            int[] sequence = idsOf(indices[b]);
            for (int t = 0; t < sequence.Length; t++)
                ids[t * B + b] = sequence[t];
        }

        return (ids, lengths, T, tokenCount);
    }

    private static SequenceBatch Build(long[] ids, long[] lengths, long[] targets, long[] idsShape, long[] targetShape, IReadOnlyList<int> indices, long tokenCount, Device? device)
    {
        device ??= CPU;
        return new SequenceBatch(
            tensor(ids, idsShape, ScalarType.Int64, device),
            tensor(lengths, [lengths.Length], ScalarType.Int64, device),
            tensor(targets, targetShape, ScalarType.Int64, device),
            indices.ToArray(),
            tokenCount);
    }
}
