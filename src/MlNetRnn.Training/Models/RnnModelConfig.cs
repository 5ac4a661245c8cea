using System.Globalization;

namespace MlNetRnn.Training.Models;

/// <summary>
/// Every setting that fixes a shape of an <see cref="RnnSequenceModel"/>. It is saved with the weights and checked on load.
/// </summary>
/// <param name="Task">What the head predicts.</param>
/// <param name="Cell">The recurrent cell.</param>
/// <param name="VocabSize">Number of token ids, including the padding and unknown ids.</param>
/// <param name="EmbeddingDim">Size of each token embedding.</param>
/// <param name="HiddenSize">Hidden size of each direction of each layer.</param>
/// <param name="NumLayers">Number of stacked recurrent layers.</param>
/// <param name="Bidirectional">Whether each layer also runs right to left (not allowed for a language model).</param>
/// <param name="Dropout">Dropout probability between layers and before the head, used in training only.</param>
/// <param name="NumClasses">Number of output classes; for <see cref="RnnTask.LanguageModel"/> it must equal <paramref name="VocabSize"/> (0 means "use VocabSize").</param>
/// <param name="PadId">The padding id; its embedding is zero and receives no gradient.</param>
/// <param name="CharVocabSize">
/// Number of character ids (padding 0 and unknown 1 included) of the character encoder, or 0 for a model without one. With a
/// character encoder (token classification only), each word's characters run through a bidirectional one-layer recurrent
/// network of the same <paramref name="Cell"/>, and its two final states are concatenated with the word embedding.
/// </param>
/// <param name="CharEmbeddingDim">Size of each character embedding (with a character encoder).</param>
/// <param name="CharHiddenSize">Hidden size of each direction of the character encoder (with a character encoder).</param>
/// <param name="WordDropout">
/// Probability, in training only, of replacing a word id by the unknown id <see cref="UnkId"/> (so that its embedding is trained);
/// its characters are kept.
/// </param>
/// <param name="EmbeddingDropout">Dropout probability on each step's input (word embedding and character features), in training only.</param>
/// <param name="UnkId">The unknown-word id that word dropout writes.</param>
public sealed record RnnModelConfig(
    RnnTask Task,
    RnnCellType Cell,
    int VocabSize,
    int EmbeddingDim,
    int HiddenSize,
    int NumLayers = 1,
    bool Bidirectional = false,
    double Dropout = 0.0,
    int NumClasses = 0,
    int PadId = 0,
    int CharVocabSize = 0,
    int CharEmbeddingDim = 0,
    int CharHiddenSize = 0,
    double WordDropout = 0.0,
    double EmbeddingDropout = 0.0,
    int UnkId = 1)
{
    /// <summary>1, or 2 when <see cref="Bidirectional"/>.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Size of each step's last-layer output and of the sequence features: <c>NumDirections * HiddenSize</c>.</summary>
    public int FeatureSize => NumDirections * HiddenSize;

    /// <summary>Whether the model has a character encoder (<see cref="CharVocabSize"/> &gt; 0) and so reads each word's characters.</summary>
    public bool HasCharEncoder => CharVocabSize > 0;

    /// <summary>Size of each word's character features: <c>2 * CharHiddenSize</c> with a character encoder, else 0.</summary>
    public int CharFeatureSize => HasCharEncoder ? 2 * CharHiddenSize : 0;

    /// <summary>Size of each step's input to the first recurrent layer: <c>EmbeddingDim + CharFeatureSize</c>.</summary>
    public int InputSize => EmbeddingDim + CharFeatureSize;

    /// <summary>Number of head outputs: <see cref="NumClasses"/>, or <see cref="VocabSize"/> for a language model.</summary>
    public int OutputSize => Task == RnnTask.LanguageModel && NumClasses == 0 ? VocabSize : NumClasses;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or the combination is not supported.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, string expected, object actual)
        {
            if (!ok)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"RnnModelConfig.{name}: expected {expected}, got {actual}."), name);
        }

        Require(VocabSize >= 2, nameof(VocabSize), "at least 2 (padding plus one token)", VocabSize);
        Require(EmbeddingDim >= 1, nameof(EmbeddingDim), "at least 1", EmbeddingDim);
        Require(HiddenSize >= 1, nameof(HiddenSize), "at least 1", HiddenSize);
        Require(NumLayers >= 1, nameof(NumLayers), "at least 1", NumLayers);
        Require(Dropout is >= 0.0 and < 1.0, nameof(Dropout), "a probability in [0, 1)", Dropout);
        Require(PadId >= 0 && PadId < VocabSize, nameof(PadId), $"an id in [0, {VocabSize})", PadId);
        Require(Enum.IsDefined(Task), nameof(Task), "a defined RnnTask", Task);
        Require(CharVocabSize == 0 || CharVocabSize >= 2, nameof(CharVocabSize), "0 (no character encoder) or at least 2 (padding plus one character)", CharVocabSize);
        Require(WordDropout is >= 0.0 and < 1.0, nameof(WordDropout), "a probability in [0, 1)", WordDropout);
        Require(EmbeddingDropout is >= 0.0 and < 1.0, nameof(EmbeddingDropout), "a probability in [0, 1)", EmbeddingDropout);
        Require(WordDropout == 0.0 || (UnkId >= 0 && UnkId < VocabSize && UnkId != PadId), nameof(UnkId), $"an id in [0, {VocabSize}) other than PadId with word dropout", UnkId);
        if (HasCharEncoder)
        {
            Require(Task == RnnTask.TokenClassification, nameof(CharVocabSize), "0 unless Task is TokenClassification (the character encoder is for taggers)", CharVocabSize);
            Require(CharEmbeddingDim >= 1, nameof(CharEmbeddingDim), "at least 1 with a character encoder", CharEmbeddingDim);
            Require(CharHiddenSize >= 1, nameof(CharHiddenSize), "at least 1 with a character encoder", CharHiddenSize);
        }
        Require(Enum.IsDefined(Cell), nameof(Cell), "a defined RnnCellType", Cell);
        if (Task == RnnTask.LanguageModel)
        {
            Require(!Bidirectional, nameof(Bidirectional), "false for a language model (a right-to-left pass would see the token it predicts)", Bidirectional);
            Require(NumClasses == 0 || NumClasses == VocabSize, nameof(NumClasses), $"0 or VocabSize ({VocabSize}) for a language model", NumClasses);
        }
        else
        {
            Require(NumClasses >= 2, nameof(NumClasses), "at least 2 classes", NumClasses);
        }
    }
}
