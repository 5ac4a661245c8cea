namespace MlNetRnn.Training.Generation;

/// <summary>One training example of a <see cref="ConditionedGeneratorModel"/>: a condition vector and the target ids it should produce.</summary>
/// <param name="Condition">The condition, of length <see cref="ConditionedGeneratorConfig.ConditionSize"/>; a class is one-hot (<see cref="OneHot"/>).</param>
/// <param name="Target">Target token ids without BOS and EOS (from <see cref="TargetVocabulary.Encode"/>); the trainer adds both.</param>
public sealed record ConditionedSequence(float[] Condition, int[] Target)
{
    /// <summary>The one-hot condition of a class, as the exported package's class conditions expect it.</summary>
    /// <param name="classIndex">The class, in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes (the condition size).</param>
    /// <returns>A new vector with 1 at <paramref name="classIndex"/> and 0 elsewhere.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1 or <paramref name="classIndex"/> is outside <c>[0, classCount)</c>.</exception>
    public static float[] OneHot(int classIndex, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((uint)classIndex >= (uint)classCount)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Expected a class index in [0, {classCount}).");
        var vector = new float[classCount];
        vector[classIndex] = 1f;
        return vector;
    }
}
