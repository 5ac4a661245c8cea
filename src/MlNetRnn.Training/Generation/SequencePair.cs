namespace MlNetRnn.Training.Generation;

/// <summary>One training example of an <see cref="EncoderDecoderModel"/>: source ids and the target ids to produce from them.</summary>
/// <param name="Source">Source token ids (for example from <see cref="Data.Vocabulary.Encode(string)"/>); may be empty.</param>
/// <param name="Target">Target token ids without BOS and EOS (from <see cref="TargetVocabulary.Encode"/>); the trainer adds both.</param>
public sealed record SequencePair(int[] Source, int[] Target);
