using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>
/// Checked classifier data (sequence labels or token tags) as the classifier loop and the evaluator see it: lengths to plan
/// batches with, and a way to build a batch. Token-classification examples without tokens are left out (they predict nothing).
/// </summary>
internal sealed class ClassificationSet
{
    private readonly Func<int[], Device, SequenceBatch> createBatch;

    private ClassificationSet(int[] lengths, bool perToken, Func<int[], Device, SequenceBatch> createBatch)
    {
        Lengths = lengths;
        PerToken = perToken;
        this.createBatch = createBatch;
    }

    /// <summary>Length of every kept example; batch plans index into this.</summary>
    public int[] Lengths { get; }

    /// <summary>Whether the loss and accuracy are per token (token classification) rather than per sequence.</summary>
    public bool PerToken { get; }

    public static ClassificationSet From(IReadOnlyList<SequenceExample> examples, RnnModelConfig config, string paramName)
    {
        RequireNonEmpty(examples, paramName);
        TrainingSupport.CheckIds(examples.Select(e => e.Ids), config.VocabSize, paramName);
        TrainingSupport.CheckClasses(examples.Select(e => new[] { e.Label }), config.OutputSize, paramName);
        var lengths = examples.Select(e => e.Ids.Length).ToArray();
        return new ClassificationSet(lengths, perToken: false, (positions, device) => SequenceBatch.Create(examples, positions, device, config.PadId));
    }

    public static ClassificationSet From(IReadOnlyList<TaggedSequence> examples, RnnModelConfig config, string paramName)
    {
        RequireNonEmpty(examples, paramName);
        TrainingSupport.CheckIds(examples.Select(e => e.Ids), config.VocabSize, paramName);
        TrainingSupport.CheckClasses(examples.Select(e => e.Tags), config.OutputSize, paramName);
        CheckChars(examples, config, paramName);
        var kept = Enumerable.Range(0, examples.Count).Where(i => examples[i].Ids.Length > 0).ToArray();
        if (kept.Length == 0)
            throw new ArgumentException($"{paramName}: expected at least one sequence with tokens, got {examples.Count} empty ones.", paramName);
        var lengths = kept.Select(i => examples[i].Ids.Length).ToArray();
        return new ClassificationSet(lengths, perToken: true, (positions, device) =>
        {
            var originals = new int[positions.Length];
            for (int i = 0; i < positions.Length; i++)
                originals[i] = kept[positions[i]];
            return SequenceBatch.Create(examples, originals, device, config.PadId);
        });
    }

    private static void CheckChars(IReadOnlyList<TaggedSequence> examples, RnnModelConfig config, string paramName)
    {
        for (int i = 0; i < examples.Count; i++)
        {
            var chars = examples[i].Chars;
            if ((chars is null) == config.HasCharEncoder)
            {
                throw new ArgumentException(config.HasCharEncoder
                    ? $"{paramName}[{i}]: the model reads characters (CharVocabSize {config.CharVocabSize}), but the example has none; create it with TaggedSequence(ids, chars, tags)."
                    : $"{paramName}[{i}]: the example has characters, but the model has no character encoder (CharVocabSize 0).", paramName);
            }
            for (int t = 0; chars is not null && t < chars.Length; t++)
            {
                int bad = Array.FindIndex(chars[t], c => c >= config.CharVocabSize);
                if (bad >= 0)
                    throw new ArgumentException(TrainingSupport.Invariant($"{paramName}[{i}], word {t}: expected character ids in [0, {config.CharVocabSize}) (the model's CharVocabSize), got {chars[t][bad]} at position {bad}."), paramName);
            }
        }
    }

    public SequenceBatch CreateBatch(int[] positions, Device device) => createBatch(positions, device);

    private static void RequireNonEmpty<T>(IReadOnlyList<T> examples, string paramName)
    {
        ArgumentNullException.ThrowIfNull(examples, paramName);
        if (examples.Count == 0)
            throw new ArgumentException($"{paramName}: expected at least one example, got none.", paramName);
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null)
                throw new ArgumentNullException(paramName, $"{paramName}[{i}] is null.");
        }
    }
}
