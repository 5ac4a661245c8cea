using System.Globalization;
using MlNetRnn.Training.Models;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Every setting that fixes a shape of a <see cref="ConditionedGeneratorModel"/> (one-to-many: a fixed-size condition
/// produces a sequence).
/// </summary>
/// <param name="Cell">The decoder's recurrent cell.</param>
/// <param name="ConditionSize">Length of the condition vector (for a class condition: the number of classes, one-hot).</param>
/// <param name="TargetVocabSize">Number of target ids, including <see cref="TargetVocabulary.PadId"/>, <see cref="TargetVocabulary.BosId"/> and <see cref="TargetVocabulary.EosId"/>.</param>
/// <param name="EmbeddingDim">Size of each target token embedding.</param>
/// <param name="HiddenSize">Hidden size of the decoder.</param>
/// <param name="NumLayers">Number of stacked decoder layers.</param>
/// <param name="ConditionAtFirstStep">Also feed the condition as extra input at the first step (zeros after it), concatenated to the token embedding.</param>
/// <param name="Dropout">Dropout probability between stacked layers and before the output projection, in training only.</param>
public sealed record ConditionedGeneratorConfig(
    RnnCellType Cell,
    int ConditionSize,
    int TargetVocabSize,
    int EmbeddingDim,
    int HiddenSize,
    int NumLayers = 1,
    bool ConditionAtFirstStep = false,
    double Dropout = 0.0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(Enum.IsDefined(Cell), nameof(Cell), "a defined RnnCellType", Cell);
        Require(ConditionSize >= 1, nameof(ConditionSize), "at least 1", ConditionSize);
        Require(TargetVocabSize > TargetVocabulary.EosId + 1, nameof(TargetVocabSize), $"at least {TargetVocabulary.EosId + 2} (padding, BOS, EOS plus one token)", TargetVocabSize);
        Require(EmbeddingDim >= 1, nameof(EmbeddingDim), "at least 1", EmbeddingDim);
        Require(HiddenSize >= 1, nameof(HiddenSize), "at least 1", HiddenSize);
        Require(NumLayers >= 1, nameof(NumLayers), "at least 1", NumLayers);
        Require(Dropout is >= 0.0 and < 1.0, nameof(Dropout), "a probability in [0, 1)", Dropout);
    }

    private static void Require(bool ok, string name, string expected, object actual)
    {
        if (!ok)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ConditionedGeneratorConfig.{name}: expected {expected}, got {actual}."), name);
    }
}
