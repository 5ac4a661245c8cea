namespace MlNetRnn.Training.Data;

/// <summary>A token-id sequence with one class label per token (token classification, for example part-of-speech tags).</summary>
/// <remarks>The arrays are not copied; do not change them while a trainer uses the example.</remarks>
public sealed class TaggedSequence
{
    /// <summary>Creates an example.</summary>
    /// <param name="ids">Token ids (see <see cref="Vocabulary"/>); may be empty.</param>
    /// <param name="tags">The 0-based class index of each token; as long as <paramref name="ids"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ or a tag is negative.</exception>
    public TaggedSequence(int[] ids, int[] tags)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Length != ids.Length)
            throw new ArgumentException($"{nameof(tags)}: expected one tag per token ({ids.Length}), got {tags.Length}.", nameof(tags));
        int negative = Array.FindIndex(tags, t => t < 0);
        if (negative >= 0)
            throw new ArgumentException($"{nameof(tags)}: expected class indices ≥ 0, got {tags[negative]} at position {negative}.", nameof(tags));
        Ids = ids;
        Tags = tags;
    }

    /// <summary>Token ids.</summary>
    public int[] Ids { get; }

    /// <summary>The 0-based class index of each token.</summary>
    public int[] Tags { get; }
}
