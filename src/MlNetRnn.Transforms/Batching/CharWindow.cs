namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// The character ids of every token of a <see cref="TokenWindow"/>, for models with a character encoder: token <c>i</c> of the
/// window (in the window's flat token order) occupies <c>[Start(i), Start(i) + Length(i))</c> of one reused array. Grows to
/// the largest window seen and then allocates nothing.
/// </summary>
internal sealed class CharWindow
{
    private long[] ids = new long[4096];
    private int[] starts = new int[1024];
    private int[] lengths = new int[1024];
    private int count;
    private int charCount;

    /// <summary>Number of characters of token <paramref name="token"/>.</summary>
    public int Length(int token) => lengths[token];

    /// <summary>The character ids of token <paramref name="token"/>.</summary>
    public ReadOnlySpan<long> Token(int token) => ids.AsSpan(starts[token], lengths[token]);

    public void Clear()
    {
        count = 0;
        charCount = 0;
    }

    /// <summary>Appends the next token's <paramref name="length"/> characters and returns the span to fill with their ids.</summary>
    public Span<long> AppendToken(int length)
    {
        if (count == starts.Length)
        {
            Array.Resize(ref starts, starts.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }

        long needed = (long)charCount + length;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"A window of rows holds more than {Array.MaxLength} characters; lower WindowSize.");
        if (needed > ids.Length)
            Array.Resize(ref ids, (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)ids.Length * 2)));
        starts[count] = charCount;
        lengths[count] = length;
        count++;
        charCount += length;
        return ids.AsSpan(starts[count - 1], length);
    }
}
