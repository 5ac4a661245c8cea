namespace MlNetRnn.Benchmarks;

/// <summary>The four ways the scoring table scores the same rows.</summary>
internal enum ScoringPath
{
    /// <summary>ML.NET's <c>ApplyOnnxModel</c>: one row per ONNX Runtime call.</summary>
    StockApplyOnnxModel,
    /// <summary>ONNX Runtime called directly, one sequence per call.</summary>
    OrtOneSequencePerCall,
    /// <summary>TorchSharp eager, packed, on the transformer's own length-sorted batch plan.</summary>
    TorchSharpSortedBatches,
    /// <summary>The MlNetRnn transformer, one IDataView pass.</summary>
    MlNetRnnTransformer,
}
