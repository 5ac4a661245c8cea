using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using MlNetRnn.Training.Export.Onnx;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Training.Export;

/// <summary>
/// Writes an <see cref="RnnSequenceModel"/> as a self-describing ONNX model (opset 17) that ONNX Runtime scores with the
/// same numbers as TorchSharp: the README's "ONNX model format".
/// </summary>
/// <remarks>
/// The graph is Gather (embedding) → one ONNX RNN/LSTM/GRU operator per layer (weights reordered into ONNX gate order, as
/// constant initializers) → the head, with softmax/argmax (classifiers) or log-softmax (language models) inside. Lengths
/// drive <c>sequence_lens</c>; they are clamped to at least 1 because ONNX Runtime's kernels must never see 0, and a
/// zero-length row then gets the "no step taken" result: final state = initial state, hidden states zero, classification
/// from the initial state — exactly what <see cref="RnnSequenceModel.forward(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/> gives.
/// </remarks>
/// <example>See <c>samples/RnnWalkthrough</c>.</example>
public static class OnnxExporter
{
    /// <summary>The value of the <c>mlnetrnn.format_version</c> metadata entry this exporter writes.</summary>
    public const string FormatVersion = "1";

    /// <summary>Exports a model to ONNX bytes.</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="options">Vocabulary, labels, tokenization and metrics to describe the model with; <see langword="null"/> for none.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">The model holds something the ONNX graph cannot express (non-float32 weights, unknown parameters).</exception>
    public static byte[] Export(RnnSequenceModel model, OnnxExportOptions? options = null) => BuildModel(model, options).ToByteArray();

    /// <summary>Exports a model to an ONNX file, replacing it.</summary>
    /// <param name="model">The model; its weights are read, it is not changed.</param>
    /// <param name="path">The file to write (by convention <c>.onnx</c>).</param>
    /// <param name="options">Vocabulary, labels, tokenization and metrics to describe the model with; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">The model holds something the ONNX graph cannot express.</exception>
    public static void Export(RnnSequenceModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Export(model, options));
    }

    internal static ModelProto BuildModel(RnnSequenceModel model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var config = model.Config;
        CheckOptions(config, options);

        var weights = RnnWeights.Read(model);
        var graph = new OnnxGraphBuilder(options.ModelName ?? TaskName(config.Task));
        RnnGraphWriter.Write(graph, weights, options.IncludeLayerStates);

        return CreateModel(graph.Graph, options.Description ?? "", Metadata(config, options));
    }

    /// <summary>An opset-17 model around <paramref name="graph"/> with our producer fields and <paramref name="metadata"/> as metadata_props.</summary>
    internal static ModelProto CreateModel(GraphProto graph, string docString, IEnumerable<(string Key, string Value)> metadata)
    {
        var proto = new ModelProto
        {
            IrVersion = OnnxNames.IrVersion,
            ProducerName = OnnxNames.ProducerName,
            ProducerVersion = ProducerVersion,
            Domain = "mlnetrnn",
            ModelVersion = 1,
            DocString = docString,
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxNames.OpsetVersion });
        foreach (var (key, value) in metadata)
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    internal static string ProducerVersion { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";

    internal static string TaskName(RnnTask task) => task switch
    {
        RnnTask.SequenceClassification => "sequence_classification",
        RnnTask.TokenClassification => "token_classification",
        _ => "language_model",
    };

    internal static string CellName(RnnCellType cell) => cell switch
    {
        RnnCellType.RnnTanh => "rnn_tanh",
        RnnCellType.RnnRelu => "rnn_relu",
        RnnCellType.Lstm => "lstm",
        _ => "gru",
    };

    private static void CheckOptions(RnnModelConfig config, OnnxExportOptions options)
    {
        if (options.Vocabulary is { } vocabulary && vocabulary.Count != config.VocabSize)
            throw new ArgumentException($"ONNX export: options.Vocabulary: expected {config.VocabSize} tokens (the model's VocabSize), got {vocabulary.Count}.", nameof(options));
        if (options.IncludeLayerStates && config.HasCharEncoder)
            throw new NotSupportedException("ONNX export: options.IncludeLayerStates is not supported for a model with a character encoder.");
        if (options.CharVocabulary is { } charVocabulary && charVocabulary.Count != config.CharVocabSize)
            throw new ArgumentException($"ONNX export: options.CharVocabulary: expected {config.CharVocabSize} characters (the model's CharVocabSize), got {charVocabulary.Count}.", nameof(options));
        if (options.Labels is { } labels)
        {
            if (config.Task == RnnTask.LanguageModel)
                throw new ArgumentException($"ONNX export: options.Labels: a language model predicts vocabulary ids and takes no labels, got {labels.Count}.", nameof(options));
            if (labels.Count != config.NumClasses)
                throw new ArgumentException($"ONNX export: options.Labels: expected {config.NumClasses} names (the model's NumClasses), got {labels.Count}.", nameof(options));
        }
        int unk = UnkIdOf(options);
        if (unk < -1 || unk >= config.VocabSize)
            throw new ArgumentException($"ONNX export: options.UnkId: expected -1 or an id in [0, {config.VocabSize}), got {unk}.", nameof(options));
        if (unk == config.PadId)
            throw new ArgumentException($"ONNX export: options.UnkId: expected an id other than the pad id {config.PadId}, got {unk}.", nameof(options));
        if (options.Metrics is { } metrics && metrics.FirstOrDefault(m => !double.IsFinite(m.Value)) is { Key: not null } bad)
            throw new ArgumentException($"ONNX export: options.Metrics['{bad.Key}']: expected a finite number, got {bad.Value}.", nameof(options));
    }

    private static int UnkIdOf(OnnxExportOptions options) => options.UnkId ?? (options.Vocabulary is null ? -1 : 1);

    private static IEnumerable<(string Key, string Value)> Metadata(RnnModelConfig config, OnnxExportOptions options)
    {
        static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        yield return ("mlnetrnn.format_version", FormatVersion);
        yield return ("mlnetrnn.task", TaskName(config.Task));
        yield return ("mlnetrnn.cell", CellName(config.Cell));
        yield return ("mlnetrnn.num_layers", I(config.NumLayers));
        yield return ("mlnetrnn.num_directions", I(config.NumDirections));
        yield return ("mlnetrnn.embedding_dim", I(config.EmbeddingDim));
        yield return ("mlnetrnn.hidden_size", I(config.HiddenSize));
        yield return ("mlnetrnn.vocab_size", I(config.VocabSize));
        yield return ("mlnetrnn.num_classes", I(config.OutputSize));
        yield return ("mlnetrnn.pad_id", I(config.PadId));
        yield return ("mlnetrnn.unk_id", I(UnkIdOf(options)));
        if (options.Vocabulary is { } vocabulary)
            yield return ("mlnetrnn.vocabulary", JsonSerializer.Serialize(vocabulary));
        if (options.Labels is { } labels)
            yield return ("mlnetrnn.labels", JsonSerializer.Serialize(labels));
        if (config.HasCharEncoder)
        {
            yield return (MetadataKeys.CharEmbeddingDim, I(config.CharEmbeddingDim));
            yield return (MetadataKeys.CharHiddenSize, I(config.CharHiddenSize));
            if (options.CharVocabulary is { } charVocabulary)
                yield return (MetadataKeys.CharVocabulary, JsonSerializer.Serialize(charVocabulary));
        }
        if (options.Tokenization is { } tokenization)
            yield return ("mlnetrnn.tokenization", tokenization.ToJson());
        yield return ("mlnetrnn.metrics", JsonSerializer.Serialize(options.Metrics ?? new Dictionary<string, double>()));
        yield return ("mlnetrnn.producer_version", ProducerVersion);
    }
}
