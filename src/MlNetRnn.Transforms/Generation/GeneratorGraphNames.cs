namespace MlNetRnn.Transforms.Generation;

/// <summary>Input and output names of the graphs in a generator package.</summary>
public static class GeneratorGraphNames
{
    /// <summary>Encoder input, int64 [batch, sourceLength]: source token ids, padded with the pad id.</summary>
    public const string SourceIds = "source_ids";

    /// <summary>Encoder (and attention decoder-step) input, int64 [batch]: valid source lengths, at least 1.</summary>
    public const string SourceLengths = "source_lengths";

    /// <summary>Encoder output and attention decoder-step input, float [batch, sourceLength, encoderSize]; zero beyond each row's length.</summary>
    public const string EncoderOutputs = "encoder_outputs";

    /// <summary>Encoder input of a conditioned package (and decoder-step input when <see cref="GeneratorManifest.ConditionAtFirstStep"/>), float [batch, conditionSize].</summary>
    public const string Condition = "condition";

    /// <summary>Decoder-step input, int64 [batch]: the previous token (BOS at the first step).</summary>
    public const string PreviousToken = "previous_token";

    /// <summary>Decoder-step output, float [batch, targetVocabulary]: log-probabilities of the next token.</summary>
    public const string LogProbabilities = "log_probs";
}
