namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// What the encoder gives for a batch of rows: the decoder's initial states (row i of the batch is input row i) and, for
/// the decoder step, the context it reads at every step (encoder outputs and lengths for attention, the condition).
/// </summary>
/// <param name="RowCount">Number of encoded rows.</param>
/// <param name="States">Initial value of each decoder state, in the manifest's order.</param>
/// <param name="EncoderOutputs">[rows, sourceLength, encoderSize] when the decoder step attends; otherwise null.</param>
/// <param name="SourceLengths">Each row's source length when the decoder step attends; otherwise null.</param>
/// <param name="Conditions">[rows, conditionSize] when the decoder step takes the condition at its first step; otherwise null.</param>
internal sealed record EncodedRows(
    int RowCount,
    IReadOnlyList<BatchTensor<float>> States,
    BatchTensor<float>? EncoderOutputs = null,
    long[]? SourceLengths = null,
    BatchTensor<float>? Conditions = null)
{
    private AttentionInputs? attentionInputs;

    /// <summary>This search's attention inputs of the decoder steps, kept between steps; needs <see cref="EncoderOutputs"/> and <see cref="SourceLengths"/>.</summary>
    public AttentionInputs AttentionInputs => attentionInputs ??= new AttentionInputs(
        EncoderOutputs ?? throw new InvalidOperationException("The encoded rows have no encoder outputs to attend over."),
        SourceLengths ?? throw new InvalidOperationException("The encoded rows have no source lengths to attend over."));
}
