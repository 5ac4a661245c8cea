namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// The token ids of a window of rows, stored back to back in one reused array (row <c>r</c> occupies
/// <c>[Start(r), Start(r) + Length(r))</c>). Grows to the largest window seen and then allocates nothing.
/// </summary>
internal sealed class TokenWindow
{
    private long[] ids = new long[1024];
    private int[] starts = new int[64];
    private int[] lengths = new int[64];

    /// <summary>The characters of every token, for a model with a character encoder; null otherwise.</summary>
    public CharWindow? Characters { get; init; }

    /// <summary>Number of rows in the window.</summary>
    public int Count { get; private set; }

    /// <summary>Total number of tokens in the window.</summary>
    public int TokenCount { get; private set; }

    /// <summary>Each row's length, index = row in window.</summary>
    public ReadOnlySpan<int> Lengths => lengths.AsSpan(0, Count);

    public int Start(int row) => starts[row];

    public int Length(int row) => lengths[row];

    /// <summary>The ids of one row.</summary>
    public ReadOnlySpan<long> Row(int row) => ids.AsSpan(starts[row], lengths[row]);

    public void Clear()
    {
        Count = 0;
        TokenCount = 0;
        Characters?.Clear();
    }

    /// <summary>Appends a row of <paramref name="length"/> tokens and returns the span to fill with its ids.</summary>
    public Span<long> AppendRow(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Count == starts.Length)
        {
            Array.Resize(ref starts, starts.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }

        long needed = (long)TokenCount + length;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"A window of rows holds more than {Array.MaxLength} tokens; lower WindowSize.");
        if (needed > ids.Length)
            Array.Resize(ref ids, (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)ids.Length * 2)));

        starts[Count] = TokenCount;
        lengths[Count] = length;
        var span = ids.AsSpan(TokenCount, length);
        Count++;
        TokenCount += length;
        return span;
    }
}
