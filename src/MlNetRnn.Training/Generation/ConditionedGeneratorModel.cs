using MlNetRnn.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// Conditioned generator (one-to-many): a fixed-size condition vector (a one-hot class or any float features) sets the
/// decoder's initial state through a learned bridge, and the decoder generates a sequence.
/// </summary>
/// <remarks>
/// <para>
/// Bridge: every decoder layer's initial hidden state is <c>tanh(Linear(condition))</c>; an LSTM's initial cell state has its
/// own linear layer. With <see cref="ConditionedGeneratorConfig.ConditionAtFirstStep"/> the condition is also concatenated
/// to the token embedding at the first step, and zeros at every later step.
/// </para>
/// <para>Parameters are named <c>bridge.*</c> and <c>decoder.*</c>. Not thread-safe (a torch module).</para>
/// </remarks>
public sealed class ConditionedGeneratorModel : Module
{
    private readonly StateBridge bridge;
    private readonly GenerationDecoder decoder;

    /// <summary>Creates a model with freshly initialised weights (seed TorchSharp's generator first for reproducibility).</summary>
    /// <param name="config">The shape settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid.</exception>
    public ConditionedGeneratorModel(ConditionedGeneratorConfig config) : base(nameof(ConditionedGeneratorModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        bridge = new StateBridge(config.ConditionSize, config.NumLayers, config.HiddenSize, config.Cell == RnnCellType.Lstm);
        decoder = new GenerationDecoder(config.Cell, config.TargetVocabSize, config.EmbeddingDim, config.HiddenSize, config.NumLayers,
            config.Dropout, encoderSize: 0, config.ConditionAtFirstStep ? config.ConditionSize : 0);
        RegisterComponents();
    }

    /// <summary>The shape settings this model was built with.</summary>
    public ConditionedGeneratorConfig Config { get; }

    internal StateBridge Bridge => bridge;

    internal GenerationDecoder Decoder => decoder;

    /// <summary>Teacher-forced log-probabilities of every target position.</summary>
    /// <param name="condition">Conditions, float32 <c>(B, ConditionSize)</c>.</param>
    /// <param name="decoderInputs">Previous-token ids, int64 <c>(T, B)</c>, T ≥ 1: <see cref="TargetVocabulary.BosId"/> then the target.</param>
    /// <returns>Log-probabilities <c>(T, B, TargetVocabSize)</c> of the next token at every position, owned by the caller.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size.</exception>
    public Tensor forward(Tensor condition, Tensor decoderInputs)
    {
        GeneratorChecks.Ids(decoderInputs, nameof(decoderInputs));
        using var scope = NewDisposeScope();
        var start = Start(condition);
        if (decoderInputs.shape[1] != condition.shape[0])
            throw new ArgumentException($"decoderInputs: expected {condition.shape[0]} columns (the condition batch), got {decoderInputs.shape[1]}.", nameof(decoderInputs));
        var (logits, _) = decoder.Forward(decoderInputs, start.State, null, start.FirstStepCondition);
        return logits.log_softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The decoder's start for a batch of conditions <c>(B, C)</c>.</summary>
    internal DecoderStart Start(Tensor condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.dim() != 2 || condition.dtype != ScalarType.Float32 || condition.shape[1] != Config.ConditionSize)
            throw new ArgumentException($"condition: expected a float32 tensor of shape (B, {Config.ConditionSize}), got {condition.dtype} of shape ({string.Join(", ", condition.shape)}).", nameof(condition));
        return new DecoderStart(bridge.Apply(condition, condition), null, decoder.StepConditionSize > 0 ? condition : null);
    }
}
