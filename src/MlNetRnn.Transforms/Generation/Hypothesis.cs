namespace MlNetRnn.Transforms.Generation;

/// <summary>A finished generated sequence.</summary>
/// <param name="Tokens">Target ids without BOS and EOS.</param>
/// <param name="LogProbability">Sum of the log-probabilities of the tokens and of EOS when generated.</param>
/// <param name="Score">The ranking score: <paramref name="LogProbability"/> divided by the length penalty.</param>
/// <param name="EndedWithEos">False when the maximum length cut the sequence.</param>
internal sealed record Hypothesis(int[] Tokens, double LogProbability, double Score, bool EndedWithEos);
