namespace MlNetRnn.Transforms.Data;

/// <summary>What an output column holds.</summary>
internal enum RnnColumnRole
{
    Score,
    PredictedLabel,
    TokenLogProbabilities,
    LogLikelihood,
    Perplexity,
    LastHidden,
    HiddenStates,
    LayerHiddenStates,
}
