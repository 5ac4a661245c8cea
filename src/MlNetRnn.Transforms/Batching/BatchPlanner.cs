namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// Orders a window's rows by length (longest first, ties by row) and cuts that order into batches, each padded only to its
/// own longest row and limited by <see cref="BatchLimits"/>. Sorting first is what keeps padding, and so wasted work, small.
/// </summary>
internal sealed class BatchPlanner
{
    private long[] keys = new long[64];
    private int[] order = new int[64];

    /// <summary>Window rows in planned order; <see cref="SequenceBatch.Start"/> indexes into it.</summary>
    public ReadOnlySpan<int> Order => order;

    /// <summary>The batches of the last <see cref="Plan"/>.</summary>
    public List<SequenceBatch> Batches { get; } = [];

    /// <summary>Plans the batches of a window given each row's length.</summary>
    public void Plan(ReadOnlySpan<int> lengths, BatchLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxTokens, 1);
        int n = lengths.Length;
        if (keys.Length < n)
        {
            keys = new long[Math.Max(n, keys.Length * 2)];
            order = new int[keys.Length];
        }

        // Descending length, then ascending row: unique keys, so the unstable sort is deterministic.
        for (int i = 0; i < n; i++)
        {
            keys[i] = ((long)(int.MaxValue - lengths[i]) << 32) | (uint)i;
            order[i] = i;
        }

        Array.Sort(keys, order, 0, n);
        Batches.Clear();
        int start = 0;
        while (start < n)
        {
            int longest = lengths[order[start]];
            if (longest == 0 && limits.SkipEmpty)
                break;
            int padded = Math.Max(longest, 1);
            int count = 1;
            while (start + count < n
                   && count < limits.MaxRows
                   && (long)(count + 1) * padded <= limits.MaxTokens
                   && (!limits.EqualLengthsOnly || lengths[order[start + count]] == longest)
                   && !(limits.SkipEmpty && lengths[order[start + count]] == 0))
            {
                count++;
            }

            Batches.Add(new SequenceBatch(start, count, padded));
            start += count;
        }
    }
}
