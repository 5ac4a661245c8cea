using System.IO.Compression;
using System.Text.Json;
using Google.Protobuf;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;

namespace MlNetRnn.Training.Export;

/// <summary>
/// Writes an <see cref="EncoderDecoderModel"/> or a <see cref="ConditionedGeneratorModel"/> as a generator package: one zip
/// with <c>manifest.json</c> (<see cref="GeneratorManifest"/>), <c>encoder.onnx</c> and <c>decoder-step.onnx</c> (opset 17).
/// </summary>
/// <remarks>
/// <para>
/// Encoder (<c>"seq2seq"</c>): <c>source_ids</c> int64 [batch, source_length] + <c>source_lengths</c> int64 [batch] →
/// <c>encoder_outputs</c> float [batch, source_length, D·H] (zero past each length) and every state's initial value
/// (<c>state_h</c>, and <c>state_c</c> for an LSTM, [layers, batch, hidden]). Lengths are clamped to at least 1 (ONNX
/// Runtime's kernels must never see 0): an empty source is read as one padding token, exactly as TorchSharp reads it, so
/// it has one non-zero encoder output. source_length must be at least 1.
/// Encoder (<c>"conditioned"</c>): <c>condition</c> float [batch, size] → the initial states.
/// </para>
/// <para>
/// Decoder step: <c>previous_token</c> int64 [batch] and every state, plus <c>encoder_outputs</c> and <c>source_lengths</c>
/// with attention, plus <c>condition</c> when the condition is fed at the first step (the caller passes zeros after it) →
/// <c>log_probs</c> float [batch, target vocabulary] and <c>next_state_h</c> (<c>next_state_c</c>). Each layer is the ONNX
/// RNN/LSTM/GRU operator run for one step from the given state; attention is Luong "general" (see <see cref="EncoderDecoderModel"/>).
/// </para>
/// <para>Both graphs carry metadata_props <c>mlnetrnn.format_version</c>, <c>mlnetrnn.kind</c> and <c>mlnetrnn.graph</c> (<c>encoder</c> or <c>decoder_step</c>).</para>
/// </remarks>
public static class GeneratorExporter
{
    /// <summary>Manifest kind of an encoder–decoder package.</summary>
    public const string Seq2SeqKind = "seq2seq";

    /// <summary>Manifest kind of a conditioned generator package.</summary>
    public const string ConditionedKind = "conditioned";

    /// <summary>Exports an encoder–decoder as generator-package bytes (a zip).</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="source">The source vocabulary (its tokens, pad and unknown ids and tokenization settings go into the manifest).</param>
    /// <param name="target">The target vocabulary.</param>
    /// <param name="options">Lengths and model-card facts; <see langword="null"/> for none.</param>
    /// <returns>The package.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A vocabulary or option does not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">A weight is not float32.</exception>
    public static byte[] Export(EncoderDecoderModel model, Vocabulary source, TargetVocabulary target, GeneratorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new GeneratorExportOptions();
        var c = model.Config;
        if (source.Count != c.SourceVocabSize)
            throw new ArgumentException($"Generator export: source: expected {c.SourceVocabSize} tokens (the model's SourceVocabSize), got {source.Count}.", nameof(source));
        if (c.SourcePadId != Vocabulary.PadId)
            throw new ArgumentException($"Generator export: the model's SourcePadId is {c.SourcePadId}, but the source vocabulary pads with {Vocabulary.PadId}.", nameof(source));
        CheckCommon(c.TargetVocabSize, target, options);
        if (options.ClassNames is not null)
            throw new ArgumentException("Generator export: options.ClassNames: an encoder–decoder has no condition, expected null.", nameof(options));

        var manifest = new GeneratorManifest
        {
            Kind = Seq2SeqKind,
            DecoderCell = CellName(c.Cell),
            Source = new GeneratorSource
            {
                Tokens = source.Tokens,
                PadId = Vocabulary.PadId,
                UnknownId = Vocabulary.UnkId,
                Tokenization = source.Settings.ToJson(),
                MaxLength = options.MaxSourceLength,
            },
            Target = TargetOf(target),
            States = GeneratorGraphWriter.States(c.Cell, c.DecoderLayers, c.HiddenSize),
            Attention = c.Attention,
            MaxTargetLength = options.MaxTargetLength,
            Info = options.Info ?? new Dictionary<string, string>(),
        };
        var (encoder, decoder) = BuildGraphs(model);
        return Package(manifest, encoder, decoder);
    }

    /// <summary>Exports an encoder–decoder to a generator-package file, replacing it.</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="path">The file to write (by convention <c>.zip</c>).</param>
    /// <param name="source">The source vocabulary.</param>
    /// <param name="target">The target vocabulary.</param>
    /// <param name="options">Lengths and model-card facts; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A vocabulary or option does not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">A weight is not float32.</exception>
    public static void Export(EncoderDecoderModel model, string path, Vocabulary source, TargetVocabulary target, GeneratorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Export(model, source, target, options));
    }

    /// <summary>Exports a conditioned generator as generator-package bytes (a zip).</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="target">The target vocabulary.</param>
    /// <param name="options">Class names (for a class condition), lengths and model-card facts; <see langword="null"/> for none.</param>
    /// <returns>The package.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary or an option does not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">A weight is not float32.</exception>
    public static byte[] Export(ConditionedGeneratorModel model, TargetVocabulary target, GeneratorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new GeneratorExportOptions();
        var c = model.Config;
        CheckCommon(c.TargetVocabSize, target, options);
        if (options.ClassNames is { } names && names.Count != c.ConditionSize)
            throw new ArgumentException($"Generator export: options.ClassNames: expected {c.ConditionSize} names (the model's ConditionSize), got {names.Count}.", nameof(options));

        var manifest = new GeneratorManifest
        {
            Kind = ConditionedKind,
            DecoderCell = CellName(c.Cell),
            Condition = new GeneratorCondition { Size = c.ConditionSize, ClassNames = options.ClassNames },
            Target = TargetOf(target),
            States = GeneratorGraphWriter.States(c.Cell, c.NumLayers, c.HiddenSize),
            ConditionAtFirstStep = c.ConditionAtFirstStep,
            MaxTargetLength = options.MaxTargetLength,
            Info = options.Info ?? new Dictionary<string, string>(),
        };
        var (encoder, decoder) = BuildGraphs(model);
        return Package(manifest, encoder, decoder);
    }

    /// <summary>Exports a conditioned generator to a generator-package file, replacing it.</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="path">The file to write (by convention <c>.zip</c>).</param>
    /// <param name="target">The target vocabulary.</param>
    /// <param name="options">Class names, lengths and model-card facts; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary or an option does not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">A weight is not float32.</exception>
    public static void Export(ConditionedGeneratorModel model, string path, TargetVocabulary target, GeneratorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Export(model, target, options));
    }

    /// <summary>The serialized encoder and decoder-step graphs of an encoder–decoder.</summary>
    internal static (byte[] Encoder, byte[] DecoderStep) BuildGraphs(EncoderDecoderModel model)
    {
        var c = model.Config;
        var encoder = new OnnxGraphBuilder("encoder");
        GeneratorGraphWriter.WriteEncoder(encoder, model);
        var decoder = new OnnxGraphBuilder("decoder_step");
        GeneratorGraphWriter.WriteDecoderStep(decoder, model.Decoder, c.Cell, c.DecoderLayers, c.HiddenSize);
        return (Serialize(encoder, Seq2SeqKind, "encoder"), Serialize(decoder, Seq2SeqKind, "decoder_step"));
    }

    /// <summary>The serialized encoder and decoder-step graphs of a conditioned generator.</summary>
    internal static (byte[] Encoder, byte[] DecoderStep) BuildGraphs(ConditionedGeneratorModel model)
    {
        var c = model.Config;
        var encoder = new OnnxGraphBuilder("encoder");
        GeneratorGraphWriter.WriteConditionEncoder(encoder, model);
        var decoder = new OnnxGraphBuilder("decoder_step");
        GeneratorGraphWriter.WriteDecoderStep(decoder, model.Decoder, c.Cell, c.NumLayers, c.HiddenSize);
        return (Serialize(encoder, ConditionedKind, "encoder"), Serialize(decoder, ConditionedKind, "decoder_step"));
    }

    /// <summary>The manifest and both graphs of a package, read and checked as the ML.NET transformer reads them.</summary>
    /// <exception cref="InvalidDataException">The package is damaged, an entry is missing or the manifest is invalid.</exception>
    internal static (GeneratorManifest Manifest, byte[] Encoder, byte[] DecoderStep) ReadPackage(byte[] package)
    {
        var read = GeneratorPackage.Read(package);
        return (read.Manifest, read.Encoder, read.DecoderStep);
    }

    private static void CheckCommon(int targetVocabSize, TargetVocabulary target, GeneratorExportOptions options)
    {
        if (target.Count != targetVocabSize)
            throw new ArgumentException($"Generator export: target: expected {targetVocabSize} tokens (the model's TargetVocabSize), got {target.Count}.", nameof(target));
        if (options.MaxSourceLength < 0)
            throw new ArgumentException($"Generator export: options.MaxSourceLength: expected ≥ 0, got {options.MaxSourceLength}.", nameof(options));
        if (options.MaxTargetLength < 0)
            throw new ArgumentException($"Generator export: options.MaxTargetLength: expected ≥ 0, got {options.MaxTargetLength}.", nameof(options));
    }

    private static GeneratorTarget TargetOf(TargetVocabulary target) => new()
    {
        Tokens = target.Tokens,
        BosId = TargetVocabulary.BosId,
        EosId = TargetVocabulary.EosId,
        PadId = TargetVocabulary.PadId,
        Joiner = target.Joiner,
    };

    /// <summary>The manifest's cell name: <c>rnn</c> (tanh or ReLU; the graph holds the activation), <c>lstm</c> or <c>gru</c>.</summary>
    private static string CellName(RnnCellType cell) => cell switch
    {
        RnnCellType.Lstm => "lstm",
        RnnCellType.Gru => "gru",
        _ => "rnn",
    };

    private static byte[] Serialize(OnnxGraphBuilder graph, string kind, string graphName) =>
        OnnxExporter.CreateModel(graph.Graph, $"MlNetRnn generator ({kind}): {graphName}",
        [
            ("mlnetrnn.format_version", GeneratorManifest.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("mlnetrnn.kind", kind),
            ("mlnetrnn.graph", graphName),
            ("mlnetrnn.producer_version", OnnxExporter.ProducerVersion),
        ]).ToByteArray();

    private static byte[] Package(GeneratorManifest manifest, byte[] encoder, byte[] decoder)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] bytes)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(bytes);
            }

            Add(GeneratorManifest.EntryName, JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true }));
            Add(GeneratorManifest.EncoderEntryName, encoder);
            Add(GeneratorManifest.DecoderStepEntryName, decoder);
        }

        return buffer.ToArray();
    }
}
