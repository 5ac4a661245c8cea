using MlNetRnn.Training.Data;

namespace MlNetRnn.Training.Export;

/// <summary>What an exported ONNX file says about itself besides the weights: vocabulary, labels, tokenization, metrics.</summary>
/// <remarks>Everything here is written to the model's <c>metadata_props</c> (see the README's "ONNX model format").</remarks>
public sealed class OnnxExportOptions
{
    /// <summary>The token of every id (index = id), or <see langword="null"/>; when given its count must equal the model's VocabSize.</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>The unknown-token id, or -1 when the vocabulary has none; <see langword="null"/> means 1 when a vocabulary is given, else -1.</summary>
    public int? UnkId { get; init; }

    /// <summary>
    /// Models with a character encoder: the character of every character id (index = id: 0 padding, 1 unknown, then one UTF-16
    /// character each), written as <c>mlnetrnn.char_vocabulary</c> so that a scorer can turn words into character ids; when given
    /// its count must equal the model's CharVocabSize.
    /// </summary>
    public IReadOnlyList<string>? CharVocabulary { get; init; }

    /// <summary>The class (or tag) names, index = class; when given their count must equal the model's NumClasses. Not for language models.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>
    /// How text becomes tokens (level, lowercasing, word pattern), written as the <c>mlnetrnn.tokenization</c> entry
    /// (<see cref="TokenizationSettings.ToJson"/>); <see langword="null"/> when the ids do not come from text.
    /// </summary>
    public TokenizationSettings? Tokenization { get; init; }

    /// <summary>Training metrics to record, for example <c>val_accuracy</c>; or <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>
    /// Adds the <c>layer_hidden_states</c> output, float <c>[batch, seq, layers, directions*hidden]</c>: every layer's hidden
    /// state at every token (forward direction first, zero past each row's length). Default false: the graph is exactly
    /// the one written without this option, so existing models keep their outputs and speed.
    /// </summary>
    /// <remarks>
    /// LSTM cell states are not exported per token: ONNX's LSTM operator returns only the final cell state (<c>Y_c</c>),
    /// which language models already output as <c>final_c</c>. Per-token cell states come from TorchSharp
    /// (<see cref="Models.RnnStateProbe"/>).
    /// </remarks>
    public bool IncludeLayerStates { get; init; }

    /// <summary>The graph's name; defaults to the task name.</summary>
    public string? ModelName { get; init; }

    /// <summary>A free-text description written as the model's doc string.</summary>
    public string? Description { get; init; }

    /// <summary>Options describing a vocabulary built by this library, its tokenization and optional labels.</summary>
    /// <param name="vocabulary">The vocabulary the model was trained with.</param>
    /// <param name="labels">The class names, or <see langword="null"/> for a language model.</param>
    /// <param name="metrics">Training metrics to record, or <see langword="null"/>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is null.</exception>
    public static OnnxExportOptions For(Vocabulary vocabulary, LabelSet? labels = null, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new OnnxExportOptions
        {
            Vocabulary = vocabulary.Tokens,
            UnkId = Data.Vocabulary.UnkId,
            Labels = labels?.Names,
            Tokenization = vocabulary.Settings,
            Metrics = metrics,
        };
    }
}
