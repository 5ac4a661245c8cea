namespace MlNetRnn.Training.Analysis;

/// <summary>
/// How strongly the loss at the last step depends on one layer's hidden state at each earlier step: the gradient
/// <c>∂L_T/∂h_t</c>, summarised over a batch of sequences. Made by <see cref="GradientProbe.Measure(Models.RnnSequenceModel, IReadOnlyList{int[]}, IReadOnlyList{int})"/>.
/// </summary>
/// <param name="Layer">The 0-based recurrent layer whose hidden state <c>h_t</c> was differentiated by.</param>
/// <param name="Units">The layer's hidden size.</param>
/// <param name="MeanNorm">
/// <c>MeanNorm[t]</c>: the L2 norm of <c>∂L_T/∂h_t</c> over the layer's units, averaged over the sequences; <c>t</c> = 0 is the
/// first step, the last entry is the last step.
/// </param>
/// <param name="MeanAbs">Row-major <c>[step, unit]</c>: <c>MeanAbs[t * Units + u]</c> is <c>|∂L_T/∂h_t[u]|</c> averaged over the sequences.</param>
public sealed record GradientProfile(int Layer, int Units, double[] MeanNorm, float[] MeanAbs)
{
    /// <summary>Number of steps <c>T</c>.</summary>
    public int Steps => MeanNorm.Length;

    /// <summary>The mean gradient norm <paramref name="distance"/> steps before the last one (distance 0 is the last step).</summary>
    /// <param name="distance">Steps back from the last step, in <c>[0, Steps)</c>.</param>
    /// <returns><c>MeanNorm[Steps − 1 − distance]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="distance"/> is outside <c>[0, Steps)</c>.</exception>
    public double NormAtDistance(int distance)
    {
        if ((uint)distance >= (uint)Steps)
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Expected a distance in [0, {Steps}) (the profile's steps), got {distance}.");
        return MeanNorm[Steps - 1 - distance];
    }
}
