namespace MlNetRnn.Transforms.Generation;

/// <summary>One decoder step's output for n hypotheses: log-probabilities [n, V] and each state's next value.</summary>
internal sealed record StepResult(float[] LogProbabilities, IReadOnlyList<BatchTensor<float>> NextStates);
