namespace MlNetRnn.Transforms.Onnx;

/// <summary>Names from the README's "ONNX model format" contract, shared with the exporter in MlNetRnn.Training.</summary>
internal static class MetadataKeys
{
    public const string FormatVersion = "mlnetrnn.format_version";
    public const string Task = "mlnetrnn.task";
    public const string Cell = "mlnetrnn.cell";
    public const string NumLayers = "mlnetrnn.num_layers";
    public const string NumDirections = "mlnetrnn.num_directions";
    public const string EmbeddingDim = "mlnetrnn.embedding_dim";
    public const string HiddenSize = "mlnetrnn.hidden_size";
    public const string VocabSize = "mlnetrnn.vocab_size";
    public const string NumClasses = "mlnetrnn.num_classes";
    public const string PadId = "mlnetrnn.pad_id";
    public const string UnkId = "mlnetrnn.unk_id";
    public const string Vocabulary = "mlnetrnn.vocabulary";
    public const string Labels = "mlnetrnn.labels";
    public const string Tokenization = "mlnetrnn.tokenization";

    /// <summary>Models with a character encoder: the character of every character id (index = id; 0 padding, 1 unknown), a JSON array of strings.</summary>
    public const string CharVocabulary = "mlnetrnn.char_vocabulary";
    public const string CharEmbeddingDim = "mlnetrnn.char_embedding_dim";
    public const string CharHiddenSize = "mlnetrnn.char_hidden_size";

    /// <summary>Written by this library into the copy of the model that travels inside a saved ML.NET zip (see <c>Saving/</c>).</summary>
    public const string ScoringSettings = "mlnetrnn.scoring_settings";

    public const string SupportedFormatVersion = "1";

    public const string InputIds = "input_ids";
    public const string Lengths = "lengths";
    public const string CharIds = "char_ids";
    public const string CharLengths = "char_lengths";
    public const string InitialH = "initial_h";
    public const string InitialC = "initial_c";
    public const string HiddenStates = "hidden_states";
    public const string LastHidden = "last_hidden";
    public const string LayerHiddenStates = "layer_hidden_states";
    public const string Probabilities = "probabilities";
    public const string PredictedLabel = "predicted_label";
    public const string LogProbs = "log_probs";
    public const string FinalH = "final_h";
    public const string FinalC = "final_c";

    public const string TaskSequenceClassification = "sequence_classification";
    public const string TaskTokenClassification = "token_classification";
    public const string TaskLanguageModel = "language_model";
}
