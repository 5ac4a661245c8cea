using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetRnn.Transforms.Onnx;

/// <summary>
/// Reads a loaded model's inputs, outputs and metadata into an <see cref="RnnModelDescription"/>, or explains why the model
/// cannot be scored (the message always lists the model's actual inputs and outputs).
/// </summary>
internal static class OnnxModelInspector
{
    /// <summary>Describes the session's model.</summary>
    /// <param name="session">The loaded model.</param>
    /// <param name="settings">How to read a model not exported by MlNetRnn; null accepts MlNetRnn models only.</param>
    public static RnnModelDescription Describe(InferenceSession session, RnnScorerSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(session);
        string signature = FormatSignature(session);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (metadata.ContainsKey(MetadataKeys.FormatVersion))
            return DescribeMlNetRnn(session, metadata, signature);
        return settings is null
            ? throw Fail($"it has no '{MetadataKeys.FormatVersion}' metadata, so it was not exported by MlNetRnn", signature)
            : DescribeGeneric(session, settings, signature);
    }

    public static string FormatSignature(InferenceSession session)
    {
        var text = new StringBuilder("inputs: ");
        AppendNodes(text, session.InputMetadata);
        text.Append("; outputs: ");
        AppendNodes(text, session.OutputMetadata);
        return text.ToString();
    }

    private static void AppendNodes(StringBuilder text, IReadOnlyDictionary<string, NodeMetadata> nodes)
    {
        bool first = true;
        foreach (var (name, node) in nodes)
        {
            if (!first)
                text.Append(", ");
            first = false;
            text.Append(name).Append(' ');
            if (!node.IsTensor)
            {
                text.Append(node.OnnxValueType);
                continue;
            }

            text.Append(node.ElementDataType).Append(" [");
            for (int i = 0; i < node.Dimensions.Length; i++)
            {
                if (i > 0)
                    text.Append(", ");
                string symbol = i < node.SymbolicDimensions.Length ? node.SymbolicDimensions[i] : string.Empty;
                text.Append(node.Dimensions[i] >= 0 ? node.Dimensions[i].ToString(CultureInfo.InvariantCulture)
                    : string.IsNullOrEmpty(symbol) ? "?" : symbol);
            }

            text.Append(']');
        }

        if (first)
            text.Append("(none)");
    }

    private static RnnModelDescription DescribeMlNetRnn(InferenceSession session, Dictionary<string, string> metadata, string signature)
    {
        string version = metadata[MetadataKeys.FormatVersion];
        if (version != MetadataKeys.SupportedFormatVersion)
            throw Fail($"its metadata '{MetadataKeys.FormatVersion}' is '{version}', but this library reads version {MetadataKeys.SupportedFormatVersion}", signature);

        var task = GetString(metadata, MetadataKeys.Task, signature) switch
        {
            MetadataKeys.TaskSequenceClassification => RnnModelTask.SequenceClassification,
            MetadataKeys.TaskTokenClassification => RnnModelTask.TokenClassification,
            MetadataKeys.TaskLanguageModel => RnnModelTask.LanguageModel,
            var other => throw Fail($"its metadata '{MetadataKeys.Task}' is '{other}'; expected '{MetadataKeys.TaskSequenceClassification}', '{MetadataKeys.TaskTokenClassification}' or '{MetadataKeys.TaskLanguageModel}'", signature),
        };

        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        RequireTensor(inputs, MetadataKeys.InputIds, "input", TensorElementType.Int64, 2, signature);
        RequireTensor(inputs, MetadataKeys.Lengths, "input", TensorElementType.Int64, 1, signature);

        long vocabSize = GetInt(metadata, MetadataKeys.VocabSize, signature);
        int numLayers = (int)GetInt(metadata, MetadataKeys.NumLayers, signature);
        int numDirections = (int)GetInt(metadata, MetadataKeys.NumDirections, signature);
        int hiddenSize = (int)GetInt(metadata, MetadataKeys.HiddenSize, signature);
        long padId = GetInt(metadata, MetadataKeys.PadId, signature);
        long unkId = metadata.ContainsKey(MetadataKeys.UnkId) ? GetInt(metadata, MetadataKeys.UnkId, signature) : -1;
        if (vocabSize < 1 || padId < 0 || padId >= vocabSize || unkId < -1 || unkId >= vocabSize)
            throw Fail($"its metadata is inconsistent: vocab_size {vocabSize}, pad_id {padId}, unk_id {unkId}", signature);

        var charVocabulary = ReadStringArray(metadata, MetadataKeys.CharVocabulary, signature);
        bool hasChars = inputs.ContainsKey(MetadataKeys.CharIds);
        if (hasChars)
        {
            RequireTensor(inputs, MetadataKeys.CharIds, "input", TensorElementType.Int64, 3, signature);
            RequireTensor(inputs, MetadataKeys.CharLengths, "input", TensorElementType.Int64, 2, signature);
            if (charVocabulary is null || charVocabulary.Length < 2)
                throw Fail($"it reads characters (input '{MetadataKeys.CharIds}') but its metadata has no character vocabulary ('{MetadataKeys.CharVocabulary}') to map them with", signature);
            if (charVocabulary.Skip(2).Any(c => c.Length != 1))
                throw Fail($"its character vocabulary ('{MetadataKeys.CharVocabulary}') has an entry after ids 0 and 1 that is not one UTF-16 character", signature);
        }

        string? initialH = null, initialC = null;
        foreach (string name in inputs.Keys)
        {
            if (name is MetadataKeys.InputIds or MetadataKeys.Lengths || (hasChars && name is MetadataKeys.CharIds or MetadataKeys.CharLengths))
                continue;
            if (task == RnnModelTask.LanguageModel && name == MetadataKeys.InitialH)
                initialH = name;
            else if (task == RnnModelTask.LanguageModel && name == MetadataKeys.InitialC)
                initialC = name;
            else
                throw Fail($"it has an input '{name}' that an MlNetRnn {Describe(task)} does not have", signature);
        }

        string? scores = null, logProbs = null;
        int numClasses = 0;
        if (task == RnnModelTask.LanguageModel)
        {
            var node = RequireTensor(outputs, MetadataKeys.LogProbs, "output", TensorElementType.Float, 3, signature);
            logProbs = MetadataKeys.LogProbs;
            if (node.Dimensions[2] > 0 && node.Dimensions[2] != vocabSize)
                throw Fail($"its output '{MetadataKeys.LogProbs}' has {node.Dimensions[2]} entries per token but metadata vocab_size is {vocabSize}", signature);
        }
        else
        {
            int rank = task == RnnModelTask.SequenceClassification ? 2 : 3;
            var node = RequireTensor(outputs, MetadataKeys.Probabilities, "output", TensorElementType.Float, rank, signature);
            scores = MetadataKeys.Probabilities;
            numClasses = node.Dimensions[rank - 1] > 0 ? node.Dimensions[rank - 1] : (int)GetInt(metadata, MetadataKeys.NumClasses, signature);
        }

        int featureSize = numDirections * hiddenSize;
        string? lastHidden = outputs.ContainsKey(MetadataKeys.LastHidden) ? MetadataKeys.LastHidden : null;
        string? hiddenStates = outputs.ContainsKey(MetadataKeys.HiddenStates) ? MetadataKeys.HiddenStates : null;
        string? layerHiddenStates = null;
        if (outputs.ContainsKey(MetadataKeys.LayerHiddenStates))
        {
            var node = RequireTensor(outputs, MetadataKeys.LayerHiddenStates, "output", TensorElementType.Float, 4, signature);
            if (node.Dimensions[2] != numLayers || node.Dimensions[3] != featureSize)
                throw Fail($"its output '{MetadataKeys.LayerHiddenStates}' is [batch, seq, {node.Dimensions[2]}, {node.Dimensions[3]}] but its metadata says {numLayers} layers of {featureSize} features", signature);
            layerHiddenStates = MetadataKeys.LayerHiddenStates;
        }

        return new RnnModelDescription
        {
            IsMlNetRnnFormat = true,
            Task = task,
            InputIdsName = MetadataKeys.InputIds,
            InputIdsType = TensorElementType.Int64,
            LengthsName = MetadataKeys.Lengths,
            LengthsType = TensorElementType.Int64,
            CharIdsName = hasChars ? MetadataKeys.CharIds : null,
            CharLengthsName = hasChars ? MetadataKeys.CharLengths : null,
            CharVocabulary = hasChars ? charVocabulary : null,
            InitialHName = initialH,
            InitialCName = initialC,
            StateLayers = numLayers * numDirections,
            StateHidden = hiddenSize,
            ScoresName = scores,
            ScoresAreLogits = false,
            NumClasses = numClasses,
            LabelNames = task == RnnModelTask.LanguageModel ? [] : ReadLabels(metadata, numClasses, signature),
            LogProbsName = logProbs,
            LastHiddenName = lastHidden,
            HiddenStatesName = hiddenStates,
            LayerHiddenStatesName = layerHiddenStates,
            NumLayers = layerHiddenStates is null ? 0 : numLayers,
            FeatureSize = featureSize,
            VocabSize = vocabSize,
            PadId = padId,
            UnkId = unkId,
            Vocabulary = ReadStringArray(metadata, MetadataKeys.Vocabulary, signature),
            Tokenization = ReadTokenization(metadata, signature),
            Signature = signature,
        };
    }

    private static RnnModelDescription DescribeGeneric(InferenceSession session, RnnScorerSettings settings, string signature)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;

        string idsName = settings.InputIdsName ?? FindUnique(inputs, n => IsInteger(n) && n.Dimensions.Length == 2, "a rank-2 integer [batch, seq] token-id input",
            nameof(RnnScorerSettings.InputIdsName), signature);
        var idsNode = RequireInteger(inputs, idsName, 2, nameof(RnnScorerSettings.InputIdsName), signature);

        string? lengthsName = settings.LengthsName;
        if (lengthsName is null)
        {
            var candidates = inputs.Where(kv => kv.Key != idsName && IsInteger(kv.Value) && kv.Value.Dimensions.Length == 1).Select(kv => kv.Key).ToList();
            if (candidates.Count > 1)
                throw Fail($"it has several rank-1 integer inputs ({string.Join(", ", candidates)}); set {nameof(RnnScorerSettings.LengthsName)} to the [batch] lengths input", signature);
            lengthsName = candidates.Count == 1 ? candidates[0] : null;
        }

        var lengthsType = TensorElementType.Int64;
        if (lengthsName is not null)
            lengthsType = RequireInteger(inputs, lengthsName, 1, nameof(RnnScorerSettings.LengthsName), signature).ElementDataType;

        foreach (string name in inputs.Keys)
        {
            if (name != idsName && name != lengthsName)
                throw Fail($"it has an input '{name}' besides the token ids ('{idsName}'){(lengthsName is null ? string.Empty : $" and lengths ('{lengthsName}')")}, which the scorer cannot feed", signature);
        }

        string outputName = settings.OutputName ?? (outputs.Count == 1 ? outputs.Keys.First()
            : FindUnique(outputs, n => n.IsTensor && n.ElementDataType == TensorElementType.Float && n.Dimensions.Length is 2 or 3,
                "a float [batch, classes] or [batch, seq, classes] output", nameof(RnnScorerSettings.OutputName), signature));
        if (!outputs.TryGetValue(outputName, out var outputNode))
            throw Fail($"it has no output '{outputName}' (set by {nameof(RnnScorerSettings.OutputName)})", signature);
        if (!outputNode.IsTensor || outputNode.ElementDataType != TensorElementType.Float || outputNode.Dimensions.Length is not (2 or 3))
            throw Fail($"its output '{outputName}' is not a float [batch, classes] or [batch, seq, classes] tensor", signature);
        int rank = outputNode.Dimensions.Length;
        int numClasses = outputNode.Dimensions[rank - 1];
        if (numClasses <= 0)
            throw Fail($"the last dimension of its output '{outputName}' (the number of classes) is not fixed", signature);

        IReadOnlyList<string> labels;
        if (settings.LabelNames is { } given)
        {
            if (given.Count != numClasses)
                throw new ArgumentException($"{nameof(RnnScorerSettings.LabelNames)}: expected {numClasses} names (the classes of output '{outputName}'), got {given.Count}.", nameof(RnnScorerSettings.LabelNames));
            labels = given.ToArray();
        }
        else
        {
            labels = DefaultLabels(numClasses);
        }

        // PadId, UnknownId and VocabularySize were checked against each other by RnnScorerSettings.
        long vocabSize = settings.VocabularySize ?? 0;

        return new RnnModelDescription
        {
            IsMlNetRnnFormat = false,
            Task = rank == 2 ? RnnModelTask.SequenceClassification : RnnModelTask.TokenClassification,
            InputIdsName = idsName,
            InputIdsType = idsNode.ElementDataType,
            LengthsName = lengthsName,
            LengthsType = lengthsType,
            ScoresName = outputName,
            ScoresAreLogits = settings.OutputIsLogits,
            NumClasses = numClasses,
            LabelNames = labels,
            VocabSize = vocabSize,
            PadId = settings.PadId,
            UnkId = settings.UnknownId ?? -1,
            Signature = signature,
        };
    }

    private static string[] DefaultLabels(int count)
    {
        var labels = new string[count];
        for (int i = 0; i < count; i++)
            labels[i] = i.ToString(CultureInfo.InvariantCulture);
        return labels;
    }

    private static bool IsInteger(NodeMetadata node) =>
        node.IsTensor && node.ElementDataType is TensorElementType.Int64 or TensorElementType.Int32;

    private static string FindUnique(IReadOnlyDictionary<string, NodeMetadata> nodes, Func<NodeMetadata, bool> match, string what, string option, string signature)
    {
        var found = nodes.Where(kv => match(kv.Value)).Select(kv => kv.Key).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw Fail($"it has no {what}", signature),
            _ => throw Fail($"it has several candidates for {what} ({string.Join(", ", found)}); set {option}", signature),
        };
    }

    private static NodeMetadata RequireInteger(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, int rank, string option, string signature)
    {
        if (!nodes.TryGetValue(name, out var node))
            throw Fail($"it has no input '{name}' (set by {option})", signature);
        if (!IsInteger(node) || node.Dimensions.Length != rank)
            throw Fail($"its input '{name}' is not an int64 or int32 tensor of rank {rank}", signature);
        return node;
    }

    private static NodeMetadata RequireTensor(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, string kind, TensorElementType type, int rank, string signature)
    {
        if (!nodes.TryGetValue(name, out var node))
            throw Fail($"it has no {kind} '{name}'", signature);
        if (!node.IsTensor || node.ElementDataType != type || node.Dimensions.Length != rank)
            throw Fail($"its {kind} '{name}' is not a {type} tensor of rank {rank}", signature);
        return node;
    }

    private static string Describe(RnnModelTask task) => task switch
    {
        RnnModelTask.SequenceClassification => "sequence classifier",
        RnnModelTask.TokenClassification => "token classifier",
        _ => "language model",
    };

    private static string GetString(Dictionary<string, string> metadata, string key, string signature) =>
        metadata.TryGetValue(key, out string? value) ? value : throw Fail($"its metadata has no '{key}'", signature);

    private static long GetInt(Dictionary<string, string> metadata, string key, string signature)
    {
        string text = GetString(metadata, key, signature);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Fail($"its metadata '{key}' is '{text}', not an integer", signature);
    }

    private static string[] ReadLabels(Dictionary<string, string> metadata, int numClasses, string signature)
    {
        var labels = ReadStringArray(metadata, MetadataKeys.Labels, signature);
        if (labels is null)
            return DefaultLabels(numClasses);
        if (labels.Length != numClasses)
            throw Fail($"its metadata '{MetadataKeys.Labels}' has {labels.Length} names but the model has {numClasses} classes", signature);
        return labels;
    }

    private static string[]? ReadStringArray(Dictionary<string, string> metadata, string key, string signature)
    {
        if (!metadata.TryGetValue(key, out string? json))
            return null;
        try
        {
            var values = JsonSerializer.Deserialize<string[]>(json);
            if (values is null || values.Any(v => v is null))
                throw Fail($"its metadata '{key}' is not a JSON array of strings", signature);
            return values;
        }
        catch (JsonException e)
        {
            throw Fail($"its metadata '{key}' is not a JSON array of strings ({e.Message})", signature);
        }
    }

    private static TextTokenization? ReadTokenization(Dictionary<string, string> metadata, string signature)
    {
        if (!metadata.TryGetValue(MetadataKeys.Tokenization, out string? json))
            return null;
        try
        {
            return TextTokenization.Parse(json);
        }
        catch (FormatException e)
        {
            throw Fail($"its metadata '{MetadataKeys.Tokenization}' is wrong: {e.Message.TrimEnd('.')}", signature);
        }
    }

    private static ArgumentException Fail(string reason, string signature) =>
        new($"The ONNX model cannot be scored as a sequence model: {reason}. Model {signature}.");
}
