using System.Globalization;
using MlNetRnn.Training.Models;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Every setting that fixes a shape of an <see cref="EncoderDecoderModel"/> (many-to-many with delay: the whole source is
/// read before the first target token is produced).
/// </summary>
/// <param name="Cell">The recurrent cell of both the encoder and the decoder.</param>
/// <param name="SourceVocabSize">Number of source ids, including the padding and unknown ids (see <see cref="Data.Vocabulary"/>).</param>
/// <param name="TargetVocabSize">Number of target ids, including <see cref="TargetVocabulary.PadId"/>, <see cref="TargetVocabulary.BosId"/> and <see cref="TargetVocabulary.EosId"/>.</param>
/// <param name="EmbeddingDim">Size of each source and target token embedding.</param>
/// <param name="HiddenSize">Hidden size of each encoder direction and of the decoder.</param>
/// <param name="EncoderLayers">Number of stacked encoder layers.</param>
/// <param name="DecoderLayers">Number of stacked decoder layers.</param>
/// <param name="Bidirectional">Whether each encoder layer also runs right to left.</param>
/// <param name="Attention">Whether the decoder attends over the encoder's outputs (Luong "general" attention, see <see cref="EncoderDecoderModel"/>).</param>
/// <param name="Dropout">Dropout probability between stacked layers and before the output projection, in training only.</param>
/// <param name="SourcePadId">The source padding id; its embedding is zero and padded positions never change a result.</param>
public sealed record EncoderDecoderConfig(
    RnnCellType Cell,
    int SourceVocabSize,
    int TargetVocabSize,
    int EmbeddingDim,
    int HiddenSize,
    int EncoderLayers = 1,
    int DecoderLayers = 1,
    bool Bidirectional = false,
    bool Attention = false,
    double Dropout = 0.0,
    int SourcePadId = 0)
{
    /// <summary>Size of each encoder output: <c>HiddenSize</c>, or twice that when <see cref="Bidirectional"/>.</summary>
    public int EncoderOutputSize => (Bidirectional ? 2 : 1) * HiddenSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(Enum.IsDefined(Cell), nameof(Cell), "a defined RnnCellType", Cell);
        Require(SourceVocabSize >= 2, nameof(SourceVocabSize), "at least 2 (padding plus one token)", SourceVocabSize);
        Require(TargetVocabSize > TargetVocabulary.EosId + 1, nameof(TargetVocabSize), $"at least {TargetVocabulary.EosId + 2} (padding, BOS, EOS plus one token)", TargetVocabSize);
        Require(EmbeddingDim >= 1, nameof(EmbeddingDim), "at least 1", EmbeddingDim);
        Require(HiddenSize >= 1, nameof(HiddenSize), "at least 1", HiddenSize);
        Require(EncoderLayers >= 1, nameof(EncoderLayers), "at least 1", EncoderLayers);
        Require(DecoderLayers >= 1, nameof(DecoderLayers), "at least 1", DecoderLayers);
        Require(Dropout is >= 0.0 and < 1.0, nameof(Dropout), "a probability in [0, 1)", Dropout);
        Require(SourcePadId >= 0 && SourcePadId < SourceVocabSize, nameof(SourcePadId), $"an id in [0, {SourceVocabSize})", SourcePadId);
    }

    private static void Require(bool ok, string name, string expected, object actual)
    {
        if (!ok)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"EncoderDecoderConfig.{name}: expected {expected}, got {actual}."), name);
    }
}
