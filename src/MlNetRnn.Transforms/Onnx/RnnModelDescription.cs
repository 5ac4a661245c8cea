using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetRnn.Transforms.Onnx;

/// <summary>
/// Everything the scorer needs to know about a model: which graph inputs and outputs play which role, the sizes of the
/// outputs, the label names and the id conventions. Built once by <see cref="OnnxModelInspector"/>; immutable.
/// </summary>
internal sealed class RnnModelDescription
{
    /// <summary>True for models exported by MlNetRnn (metadata <c>mlnetrnn.format_version</c>), false for any other sequence model.</summary>
    public required bool IsMlNetRnnFormat { get; init; }

    public required RnnModelTask Task { get; init; }

    /// <summary>The <c>[batch, seq]</c> token-id input.</summary>
    public required string InputIdsName { get; init; }

    public required TensorElementType InputIdsType { get; init; }

    /// <summary>The <c>[batch]</c> lengths input, or null when the model has none (then only equal-length rows share a batch).</summary>
    public string? LengthsName { get; init; }

    public TensorElementType LengthsType { get; init; } = TensorElementType.Int64;

    /// <summary>
    /// The <c>[batch, seq, word]</c> character-id input of a model with a character encoder, or null. Its <c>[batch, seq]</c>
    /// companion is <see cref="CharLengthsName"/>; characters map through <see cref="CharVocabulary"/>.
    /// </summary>
    public string? CharIdsName { get; init; }

    /// <summary>The <c>[batch, seq]</c> character-count input, or null (with <see cref="CharIdsName"/>).</summary>
    public string? CharLengthsName { get; init; }

    /// <summary>The character of every character id (index = id; 0 padding, 1 unknown), or null for a model without characters.</summary>
    public IReadOnlyList<string>? CharVocabulary { get; init; }

    /// <summary>Language models' <c>initial_h</c> input (fed zeros), or null.</summary>
    public string? InitialHName { get; init; }

    /// <summary>LSTM language models' <c>initial_c</c> input (fed zeros), or null.</summary>
    public string? InitialCName { get; init; }

    /// <summary>First dimension of the state inputs (<c>layers*dirs</c>).</summary>
    public int StateLayers { get; init; }

    /// <summary>Last dimension of the state inputs (<c>hidden</c>).</summary>
    public int StateHidden { get; init; }

    /// <summary>Classification output (<c>[batch, C]</c> or <c>[batch, seq, C]</c>), or null for a language model.</summary>
    public string? ScoresName { get; init; }

    /// <summary>True when <see cref="ScoresName"/> holds logits that the scorer turns into probabilities with a softmax.</summary>
    public bool ScoresAreLogits { get; init; }

    /// <summary>Number of classes of a classifier; 0 for a language model.</summary>
    public int NumClasses { get; init; }

    /// <summary>Label names, index = class (length <see cref="NumClasses"/>).</summary>
    public IReadOnlyList<string> LabelNames { get; init; } = [];

    /// <summary>Language models' <c>[batch, seq, vocab]</c> log-softmax output, or null.</summary>
    public string? LogProbsName { get; init; }

    /// <summary><c>[batch, dirs*hidden]</c> output, or null when the model has none.</summary>
    public string? LastHiddenName { get; init; }

    /// <summary><c>[batch, seq, dirs*hidden]</c> output, or null when the model has none.</summary>
    public string? HiddenStatesName { get; init; }

    /// <summary>
    /// <c>[batch, seq, layers, dirs*hidden]</c> output of models exported with layer states (every layer's hidden state at
    /// every token), or null.
    /// </summary>
    public string? LayerHiddenStatesName { get; init; }

    /// <summary>Number of layers of <see cref="LayerHiddenStatesName"/>; 0 when the model has no such output.</summary>
    public int NumLayers { get; init; }

    /// <summary>Size of one hidden-state vector (<c>dirs*hidden</c>); 0 when the model exposes none.</summary>
    public int FeatureSize { get; init; }

    /// <summary>Number of ids the embedding accepts, or 0 when unknown (generic model without the option).</summary>
    public long VocabSize { get; init; }

    /// <summary>Id written into padded positions.</summary>
    public long PadId { get; init; }

    /// <summary>Id that key 0 (missing) becomes, or -1 when key 0 is an error.</summary>
    public long UnkId { get; init; } = -1;

    /// <summary>The model's vocabulary (index = id), or null.</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>How raw text was tokenized in training, or null.</summary>
    public TextTokenization? Tokenization { get; init; }

    /// <summary>The graph's inputs and outputs as text, for error messages.</summary>
    public required string Signature { get; init; }
}
