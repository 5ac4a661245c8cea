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
    int PadId = 0)
{
    /// <summary>1, or 2 when <see cref="Bidirectional"/>.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Size of each step's last-layer output and of the sequence features: <c>NumDirections * HiddenSize</c>.</summary>
    public int FeatureSize => NumDirections * HiddenSize;

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
