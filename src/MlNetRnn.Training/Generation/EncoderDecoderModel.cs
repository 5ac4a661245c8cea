using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Encoder–decoder (many-to-many with delay): an encoder (embedding + RNN/LSTM/GRU stack, optionally bidirectional) reads
/// the whole source; a learned bridge turns its final state into the decoder's initial state; the decoder generates the
/// target one token at a time, optionally attending over the encoder's outputs.
/// </summary>
/// <remarks>
/// <para>
/// Padding never changes a result: the encoder is packed by the source lengths and the attention is masked by them. An
/// empty source (length 0) is read as a single padding token (embedding zero), the same in TorchSharp and in the export.
/// </para>
/// <para>
/// Bridge: the encoder's last layer's final hidden state, both directions concatenated (forward first), goes through
/// <c>tanh(Linear(D·H → DecoderLayers·H))</c> to give every decoder layer's initial hidden state; an LSTM's cell state
/// is made the same way from the encoder's final cell state by its own linear layer.
/// </para>
/// <para>
/// Attention (when <see cref="EncoderDecoderConfig.Attention"/>): Luong "general" attention without input feeding over
/// the valid source positions, <c>h̃_t = tanh(W_c [c_t; h_t])</c> feeding the output projection.
/// </para>
/// <para>
/// Parameters are named <c>encoder.*</c>, <c>bridge.*</c>, <c>decoder.*</c>. Not thread-safe (a torch module).
/// </para>
/// </remarks>
public sealed class EncoderDecoderModel : Module
{
    private readonly SourceEncoder encoder;
    private readonly StateBridge bridge;
    private readonly GenerationDecoder decoder;

    /// <summary>Creates a model with freshly initialised weights (seed TorchSharp's generator first for reproducibility).</summary>
    /// <param name="config">The shape settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid.</exception>
    public EncoderDecoderModel(EncoderDecoderConfig config) : base(nameof(EncoderDecoderModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        encoder = new SourceEncoder(config);
        bridge = new StateBridge(config.EncoderOutputSize, config.DecoderLayers, config.HiddenSize, config.Cell == RnnCellType.Lstm);
        decoder = new GenerationDecoder(config.Cell, config.TargetVocabSize, config.EmbeddingDim, config.HiddenSize, config.DecoderLayers,
            config.Dropout, config.Attention ? config.EncoderOutputSize : 0, stepConditionSize: 0);
        RegisterComponents();
    }

    /// <summary>The shape settings this model was built with.</summary>
    public EncoderDecoderConfig Config { get; }

    internal SourceEncoder Encoder => encoder;

    internal StateBridge Bridge => bridge;

    internal GenerationDecoder Decoder => decoder;

    /// <summary>Teacher-forced log-probabilities of every target position.</summary>
    /// <param name="sourceIds">Source ids, int64 <c>(S, B)</c>, S ≥ 1, padded with <see cref="EncoderDecoderConfig.SourcePadId"/>.</param>
    /// <param name="sourceLengths">Source lengths, int64 <c>(B)</c>, each in <c>[0, S]</c>.</param>
    /// <param name="decoderInputs">Previous-token ids, int64 <c>(T, B)</c>, T ≥ 1: <see cref="TargetVocabulary.BosId"/> then the target.</param>
    /// <returns>Log-probabilities <c>(T, B, TargetVocabSize)</c> of the next token at every position, owned by the caller.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size.</exception>
    public Tensor forward(Tensor sourceIds, Tensor sourceLengths, Tensor decoderInputs)
    {
        GeneratorChecks.Ids(decoderInputs, nameof(decoderInputs));
        using var scope = NewDisposeScope();
        var start = Start(sourceIds, sourceLengths).Start;
        if (decoderInputs.shape[1] != sourceIds.shape[1])
            throw new ArgumentException($"decoderInputs: expected {sourceIds.shape[1]} columns (the source batch), got {decoderInputs.shape[1]}.", nameof(decoderInputs));
        var (logits, _) = decoder.Forward(decoderInputs, start.State, start.Memory, null);
        return logits.log_softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes a source batch: the decoder's start and the encoder outputs <c>(B, S, F)</c>.</summary>
    internal (DecoderStart Start, Tensor EncoderOutputs) Start(Tensor sourceIds, Tensor sourceLengths)
    {
        GeneratorChecks.Ids(sourceIds, nameof(sourceIds));
        ArgumentNullException.ThrowIfNull(sourceLengths);
        if (sourceIds.shape[0] < 1)
            throw new ArgumentException("sourceIds: expected at least one row (S ≥ 1; pad an empty source to one padding token), got 0.", nameof(sourceIds));
        if (sourceLengths.dim() != 1 || sourceLengths.dtype != ScalarType.Int64 || sourceLengths.shape[0] != sourceIds.shape[1])
            throw new ArgumentException($"sourceLengths: expected an int64 tensor of shape ({sourceIds.shape[1]}), got {sourceLengths.dtype} of shape ({string.Join(", ", sourceLengths.shape)}).", nameof(sourceLengths));
        var (outputs, finalH, finalC) = encoder.Encode(sourceIds, sourceLengths);
        var state = bridge.Apply(finalH, finalC ?? finalH);
        return (new DecoderStart(state, decoder.Memory(outputs, sourceLengths), null), outputs);
    }
}
