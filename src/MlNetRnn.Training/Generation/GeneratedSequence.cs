namespace MlNetRnn.Training.Generation;

/// <summary>One sequence produced by <see cref="GeneratorSearch"/>.</summary>
/// <param name="Tokens">The generated target ids, without BOS and EOS.</param>
/// <param name="LogProbability">Sum of the natural-log probabilities of every generated id, EOS included when <paramref name="Finished"/>.</param>
/// <param name="Score">The ranking score: <paramref name="LogProbability"/> divided by <c>length^α</c> (α = the length normalization; length counts EOS), equal to it when α = 0.</param>
/// <param name="Finished">Whether the sequence ended with EOS; <see langword="false"/> when it was cut at the maximum length.</param>
public sealed record GeneratedSequence(int[] Tokens, double LogProbability, double Score, bool Finished);
