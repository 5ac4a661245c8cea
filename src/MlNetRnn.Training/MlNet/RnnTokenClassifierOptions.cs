namespace MlNetRnn.Training;

/// <summary>
/// Settings of <see cref="RnnTokenClassifierTrainer"/>: one class (tag) per token. <see cref="RnnTrainerOptions.LabelColumnName"/>
/// names a variable-length vector of <c>Key&lt;UInt32&gt;</c> tags with exactly one tag per input token (for a text input:
/// per token that <see cref="RnnTrainerOptions.Tokenization"/> produces); its key values become the tag names.
/// </summary>
/// <remarks>
/// For text whose tokens are separated by spaces, use a word pattern of <c>\S+</c> in <see cref="RnnTrainerOptions.Tokenization"/>
/// so the tokens line up with space-separated tags. See <see cref="RnnTrainerOptions"/> for every setting and its default.
/// </remarks>
public sealed class RnnTokenClassifierOptions : RnnTrainerOptions
{
}
