namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The two graphs of a generator package as the search sees them: encode a batch of rows once, then run one decoder step
/// for every live hypothesis at once. ONNX Runtime implements it (<c>OnnxDecoderSteps</c>); tests use fakes.
/// </summary>
internal interface IDecoderSteps
{
    /// <summary>Size of the target vocabulary (the width of the log-probabilities).</summary>
    int VocabularySize { get; }

    /// <summary>Encodes source token ids (each row at least one token).</summary>
    EncodedRows EncodeSources(IReadOnlyList<long[]> sources);

    /// <summary>Encodes conditions (each row the package's condition size).</summary>
    EncodedRows EncodeConditions(IReadOnlyList<float[]> conditions);

    /// <summary>Runs one decoder step for n hypotheses.</summary>
    /// <param name="previousTokens">The n previous tokens.</param>
    /// <param name="states">Each state, batch size n.</param>
    /// <param name="encoded">The encoded rows the hypotheses come from.</param>
    /// <param name="rowOfHypothesis">For each hypothesis, its row in <paramref name="encoded"/>.</param>
    /// <param name="step">0 at the first step (previous token BOS).</param>
    StepResult Step(long[] previousTokens, IReadOnlyList<BatchTensor<float>> states, EncodedRows encoded, int[] rowOfHypothesis, int step);
}
