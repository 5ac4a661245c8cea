namespace MlNetRnn.Transforms.Generation;

/// <summary>One row's generated text and log-probability, and its n best (best first) when requested.</summary>
internal sealed record GenerationOutput(string Text, float LogProbability, string[] NBestTexts, float[] NBestLogProbabilities);
