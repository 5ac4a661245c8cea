namespace MlNetRnn.Training.Export;

/// <summary>Graph input and output names of the README's ONNX model format.</summary>
internal static class OnnxNames
{
    public const string InputIds = "input_ids";
    public const string Lengths = "lengths";
    public const string CharIds = Transforms.Onnx.MetadataKeys.CharIds;
    public const string CharLengths = Transforms.Onnx.MetadataKeys.CharLengths;
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

    public const string Batch = "batch";
    public const string Seq = "seq";
    public const string Word = "word";

    public const int OpsetVersion = 17;
    public const int IrVersion = 8;
    public const string ProducerName = "MlNetRnn";
}
