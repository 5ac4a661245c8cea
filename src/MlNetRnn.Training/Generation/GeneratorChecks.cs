using static TorchSharp.torch;

namespace MlNetRnn.Training.Generation;

/// <summary>Argument checks shared by the generator models, trainer and search.</summary>
internal static class GeneratorChecks
{
    /// <summary>Checks that <paramref name="ids"/> is an int64 <c>(T, B)</c> tensor with T ≥ 1.</summary>
    public static void Ids(Tensor ids, string paramName)
    {
        ArgumentNullException.ThrowIfNull(ids, paramName);
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64 || ids.shape[0] < 1)
            throw new ArgumentException($"{paramName}: expected an int64 tensor of shape (T, B) with T ≥ 1, got {ids.dtype} of shape ({string.Join(", ", ids.shape)}).", paramName);
    }

    /// <summary>Checks that every id of every sequence is in <c>[0, vocabSize)</c>.</summary>
    public static void IdsInRange(IEnumerable<int[]> sequences, int vocabSize, string paramName) =>
        Training.TrainingSupport.CheckIds(sequences, vocabSize, paramName);

    /// <summary>Checks target ids: ordinary tokens only (not PAD, BOS or EOS), below <paramref name="vocabSize"/>.</summary>
    public static void Targets(IEnumerable<int[]> targets, int vocabSize, string paramName)
    {
        int index = 0;
        foreach (int[] target in targets)
        {
            ArgumentNullException.ThrowIfNull(target, $"{paramName}[{index}]");
            for (int t = 0; t < target.Length; t++)
            {
                if (target[t] <= TargetVocabulary.EosId || target[t] >= vocabSize)
                    throw new ArgumentException($"{paramName}[{index}]: expected ordinary target ids in [{TargetVocabulary.EosId + 1}, {vocabSize}) (no PAD, BOS or EOS: they are added), got {target[t]} at position {t}.", paramName);
            }

            index++;
        }
    }

    /// <summary>Checks that every condition has <paramref name="size"/> finite values.</summary>
    public static void Conditions(IEnumerable<float[]> conditions, int size, string paramName)
    {
        int index = 0;
        foreach (float[] condition in conditions)
        {
            ArgumentNullException.ThrowIfNull(condition, $"{paramName}[{index}]");
            if (condition.Length != size)
                throw new ArgumentException($"{paramName}[{index}]: expected a condition of {size} values (the model's ConditionSize), got {condition.Length}.", paramName);
            int bad = Array.FindIndex(condition, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"{paramName}[{index}]: expected finite values, got {condition[bad]} at {bad}.", paramName);
            index++;
        }
    }
}
