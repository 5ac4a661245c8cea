using MlNetRnn.Training.Data;

namespace MlNetRnn.Training.Analysis;

/// <summary>
/// A long-range memory task: a sequence's label is its first token, followed by <c>T − 1</c> random distractor tokens, so a
/// classifier reading the sequence must carry the first token across all of them to its final state.
/// </summary>
/// <remarks>
/// Ids: 0 is padding and 1 unknown (never generated, as in <see cref="Vocabulary"/>); class k's token is
/// <c><see cref="FirstClassId"/> + k</c>; distractors are the <see cref="Distractors"/> ids from <see cref="FirstDistractorId"/> on.
/// A model for the task needs <see cref="VocabSize"/> ids and <see cref="Classes"/> classes. Chance accuracy is <c>1 / Classes</c>.
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class FirstTokenMemoryTask
{
    /// <summary>The id of class 0's token; the ids below it are padding and unknown.</summary>
    public const int FirstClassId = 2;

    /// <summary>Creates the task.</summary>
    /// <param name="classes">Number of classes (and class tokens), at least 2.</param>
    /// <param name="distractors">Number of distractor tokens, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is too small.</exception>
    public FirstTokenMemoryTask(int classes, int distractors)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Expected at least 2 classes, got {classes}.");
        if (distractors < 1)
            throw new ArgumentOutOfRangeException(nameof(distractors), distractors, $"Expected at least 1 distractor token, got {distractors}.");
        Classes = classes;
        Distractors = distractors;
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of distractor tokens.</summary>
    public int Distractors { get; }

    /// <summary>The first distractor id: <c>FirstClassId + Classes</c>.</summary>
    public int FirstDistractorId => FirstClassId + Classes;

    /// <summary>Number of ids a model for this task needs: padding, unknown, the class tokens and the distractors.</summary>
    public int VocabSize => FirstDistractorId + Distractors;

    /// <summary>Generates labelled sequences of one length.</summary>
    /// <param name="count">Number of sequences, at least 1.</param>
    /// <param name="length">Length <c>T</c> of every sequence, at least 1: the class token then <c>T − 1</c> distractors.</param>
    /// <param name="seed">Seeds the generator; the same arguments give the same sequences.</param>
    /// <returns>The sequences; labels are uniform over the classes, distractors uniform over the distractor ids.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="length"/> is below 1.</exception>
    public SequenceExample[] Generate(int count, int length, int seed)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Expected at least 1 sequence, got {count}.");
        if (length < 1)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a length of at least 1, got {length}.");
        var random = new Random(seed);
        var examples = new SequenceExample[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(Classes);
            var ids = new int[length];
            ids[0] = FirstClassId + label;
            for (int t = 1; t < length; t++)
                ids[t] = FirstDistractorId + random.Next(Distractors);
            examples[i] = new SequenceExample(ids, label);
        }

        return examples;
    }
}
