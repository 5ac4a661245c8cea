using System.Text.Json.Serialization;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The <c>manifest.json</c> of a generator package: the zip that carries an encoder graph and a decoder-step graph as one
/// artifact (README, "Generator packages"). Written by MlNetRnn.Training's exporter, read by the generation transformers.
/// </summary>
/// <remarks>
/// Graph inputs and outputs are named by <see cref="GeneratorGraphNames"/>. The encoder graph returns the initial value of
/// every state in <see cref="States"/> under the state's own name; the decoder-step graph takes each state under that
/// name and returns its next value under <see cref="GeneratorState.NextName"/>.
/// </remarks>
public sealed record GeneratorManifest
{
    /// <summary>The zip entry that holds this manifest.</summary>
    public const string EntryName = "manifest.json";

    /// <summary>The zip entry that holds the encoder graph (source tokens or condition → initial states).</summary>
    public const string EncoderEntryName = "encoder.onnx";

    /// <summary>The zip entry that holds the decoder-step graph (previous token + states → log-probabilities + next states).</summary>
    public const string DecoderStepEntryName = "decoder-step.onnx";

    /// <summary>The format version this assembly writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The package format version.</summary>
    [JsonPropertyName("formatVersion")]
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>What the encoder reads: <c>"seq2seq"</c> (a token sequence) or <c>"conditioned"</c> (a fixed-size condition).</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "";

    /// <summary>The decoder's cell: <c>"rnn"</c>, <c>"lstm"</c> or <c>"gru"</c>.</summary>
    [JsonPropertyName("decoderCell")]
    public string DecoderCell { get; init; } = "";

    /// <summary>The source side of a <c>"seq2seq"</c> package; <see langword="null"/> for <c>"conditioned"</c>.</summary>
    [JsonPropertyName("source")]
    public GeneratorSource? Source { get; init; }

    /// <summary>The condition of a <c>"conditioned"</c> package; <see langword="null"/> for <c>"seq2seq"</c>.</summary>
    [JsonPropertyName("condition")]
    public GeneratorCondition? Condition { get; init; }

    /// <summary>The generated side: vocabulary and special ids.</summary>
    [JsonPropertyName("target")]
    public GeneratorTarget Target { get; init; } = new();

    /// <summary>The decoder's recurrent states, in the order the graphs list them.</summary>
    [JsonPropertyName("states")]
    public IReadOnlyList<GeneratorState> States { get; init; } = [];

    /// <summary>The decoder step attends over the encoder's outputs: it takes <see cref="GeneratorGraphNames.EncoderOutputs"/> and <see cref="GeneratorGraphNames.SourceLengths"/>.</summary>
    [JsonPropertyName("attention")]
    public bool Attention { get; init; }

    /// <summary>The decoder step takes <see cref="GeneratorGraphNames.Condition"/> as extra input: the condition at the first step, zeros after it.</summary>
    [JsonPropertyName("conditionAtFirstStep")]
    public bool ConditionAtFirstStep { get; init; }

    /// <summary>The longest target sequence (without BOS/EOS) seen in training; a default for the maximum generated length.</summary>
    [JsonPropertyName("maxTargetLength")]
    public int MaxTargetLength { get; init; }

    /// <summary>Free-form facts for model cards (data set, metrics, training command); not read by the transformers.</summary>
    [JsonPropertyName("info")]
    public IReadOnlyDictionary<string, string> Info { get; init; } = new Dictionary<string, string>();
}
