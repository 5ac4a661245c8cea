namespace MlNetRnn.Transforms.Onnx;

/// <summary>What a sequence model predicts; decides the output columns.</summary>
internal enum RnnModelTask
{
    /// <summary>One class per sequence: a score vector and a predicted-label key.</summary>
    SequenceClassification,

    /// <summary>One class per token: flattened per-token scores and a key vector of predicted tags.</summary>
    TokenClassification,

    /// <summary>Next-token model: per-token log-probabilities, log-likelihood and perplexity.</summary>
    LanguageModel,
}
