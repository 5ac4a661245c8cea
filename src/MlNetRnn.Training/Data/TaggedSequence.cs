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

    /// <summary>Creates an example for a model with a character encoder.</summary>
    /// <param name="ids">Word ids (see <see cref="Vocabulary"/>); may be empty.</param>
    /// <param name="chars">The character ids of each word (for example from a character-level <see cref="Vocabulary"/>), one array per word.</param>
    /// <param name="tags">The 0-based class index of each word; as long as <paramref name="ids"/>.</param>
    /// <exception cref="ArgumentNullException">An argument or a word's characters is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, a tag is negative, or a character id is negative.</exception>
    public TaggedSequence(int[] ids, int[][] chars, int[] tags) : this(ids, tags)
    {
        ArgumentNullException.ThrowIfNull(chars);
        if (chars.Length != ids.Length)
            throw new ArgumentException($"{nameof(chars)}: expected the characters of each word ({ids.Length}), got {chars.Length} arrays.", nameof(chars));
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] is null)
                throw new ArgumentNullException(nameof(chars), $"{nameof(chars)}[{i}] is null.");
            int negative = Array.FindIndex(chars[i], c => c < 0);
            if (negative >= 0)
                throw new ArgumentException($"{nameof(chars)}[{i}]: expected character ids ≥ 0, got {chars[i][negative]} at position {negative}.", nameof(chars));
        }
        Chars = chars;
    }

    /// <summary>Token ids.</summary>
    public int[] Ids { get; }

    /// <summary>The 0-based class index of each token.</summary>
    public int[] Tags { get; }

    /// <summary>The character ids of each word, or <see langword="null"/> for an example without characters.</summary>
    public int[][]? Chars { get; }
}
