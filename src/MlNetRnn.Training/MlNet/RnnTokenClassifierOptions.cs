namespace MlNetRnn.Training;

/// <summary>
/// Settings of <see cref="RnnTokenClassifierTrainer"/>: one class (tag) per token. <see cref="RnnTrainerOptions.LabelColumnName"/>
/// names a variable-length vector of <c>Key&lt;UInt32&gt;</c> tags with exactly one tag per input token (for a text input:
/// per token that <see cref="RnnTrainerOptions.Tokenization"/> produces); its key values become the tag names.
/// </summary>
/// <remarks>
/// <para>
/// For text whose tokens are separated by spaces, use a word pattern of <c>\S+</c> in <see cref="RnnTrainerOptions.Tokenization"/>
/// so the tokens line up with space-separated tags. See <see cref="RnnTrainerOptions"/> for every setting and its default.
/// </para>
/// <para>
/// <b>Characters.</b> With <see cref="CharHiddenSize"/> &gt; 0 the tagger also reads each token's characters: a bidirectional
/// one-layer recurrent network of the same <see cref="RnnTrainerOptions.Cell"/> runs over them, and its two final states are
/// concatenated with the token embedding, so words never seen in training are tagged from their spelling. The characters are
/// the tokens as written: for a text input, the tokens <see cref="RnnTrainerOptions.Tokenization"/> cuts, with their case
/// kept even when the ids are lowercased; for a token-key input, the key values of the input column (which must be text;
/// a missing key, 0, has no characters). The character vocabulary is built from the training rows' tokens (other characters
/// share one unknown id). The trained transformer adds the tokens as written as a column <c>{input}Words</c> and feeds
/// their characters to the model.
/// </para>
/// </remarks>
public sealed class RnnTokenClassifierOptions : RnnTrainerOptions
{
    /// <summary>Hidden size of each direction of the character encoder; 0 (default) for a tagger without one.</summary>
    public int CharHiddenSize { get; set; }

    /// <summary>Size of each character embedding, when <see cref="CharHiddenSize"/> &gt; 0. Default 16.</summary>
    public int CharEmbeddingDim { get; set; } = 16;

    /// <summary>Whether the tagger reads characters (<see cref="CharHiddenSize"/> &gt; 0).</summary>
    internal bool ReadsCharacters => CharHiddenSize > 0;

    private protected override void ValidateOwn()
    {
        Require(CharHiddenSize >= 0, nameof(CharHiddenSize), "0 (no character encoder) or more", CharHiddenSize);
        Require(CharEmbeddingDim >= 1, nameof(CharEmbeddingDim), "at least 1", CharEmbeddingDim);
    }
}
