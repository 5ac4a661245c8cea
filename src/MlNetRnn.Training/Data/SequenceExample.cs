namespace MlNetRnn.Training.Data;

/// <summary>A token-id sequence with one class label (sequence classification).</summary>
/// <remarks>The arrays are not copied; do not change them while a trainer uses the example.</remarks>
public sealed class SequenceExample
{
    /// <summary>Creates an example.</summary>
    /// <param name="ids">Token ids (see <see cref="Vocabulary"/>); may be empty.</param>
    /// <param name="label">The 0-based class index.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is negative.</exception>
    public SequenceExample(int[] ids, int label)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        Ids = ids;
        Label = label;
    }

    /// <summary>Token ids.</summary>
    public int[] Ids { get; }

    /// <summary>The 0-based class index.</summary>
    public int Label { get; }
}
