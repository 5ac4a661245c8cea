using MlNetRnn.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// The decoder both generator models share: target embedding (plus the condition at the first step, when configured) →
/// recurrent stack → optional Luong "general" attention → output projection.
/// </summary>
/// <remarks>
/// Attention (Luong, Pham &amp; Manning 2015, "general" score, no input feeding): with the top layer's output <c>h_t</c>,
/// <c>score_s = h_tᵀ (W_a e_s)</c> over the encoder outputs <c>e_s</c> of valid positions only (others get −∞),
/// <c>a = softmax(score)</c>, <c>c_t = Σ a_s e_s</c>, <c>h̃_t = tanh(W_c [c_t; h_t] + b_c)</c>, logits = <c>W_o h̃_t + b_o</c>.
/// Without input feeding the recurrent state is only the cell's own, so the export carries no extra state.
/// </remarks>
internal sealed class GenerationDecoder : Module
{
    private readonly Embedding embedding;
    private readonly RecurrentStack recurrent;
    private readonly Linear? attentionKeys;
    private readonly Linear? attentionCombine;
    private readonly Dropout dropout;
    private readonly Linear output;

    // encoderSize: size of each encoder output to attend over (0: no attention); stepConditionSize: size of the first step's condition input (0: none).
    public GenerationDecoder(RnnCellType cell, int vocabSize, int embeddingDim, int hiddenSize, int layers, double dropoutProbability, int encoderSize, int stepConditionSize)
        : base(nameof(GenerationDecoder))
    {
        VocabSize = vocabSize;
        EncoderSize = encoderSize;
        StepConditionSize = stepConditionSize;
        embedding = Embedding(vocabSize, embeddingDim, padding_idx: TargetVocabulary.PadId);
        recurrent = new RecurrentStack(cell, embeddingDim + stepConditionSize, hiddenSize, layers, bidirectional: false, dropoutProbability);
        if (encoderSize > 0)
        {
            attentionKeys = Linear(encoderSize, hiddenSize, hasBias: false);
            attentionCombine = Linear(encoderSize + hiddenSize, hiddenSize);
        }

        dropout = Dropout(dropoutProbability);
        output = Linear(hiddenSize, vocabSize);
        RegisterComponents();
    }

    public int VocabSize { get; }

    /// <summary>Size of each encoder output attended over; 0 without attention.</summary>
    public int EncoderSize { get; }

    /// <summary>Size of the first step's condition input; 0 without it.</summary>
    public int StepConditionSize { get; }

    public Embedding Embedding => embedding;

    public RecurrentStack Recurrent => recurrent;

    public Linear? AttentionKeys => attentionKeys;

    public Linear? AttentionCombine => attentionCombine;

    public Linear Output => output;

    /// <summary>The attention memory of encoder outputs <c>(B, S, F)</c> with lengths <c>(B)</c> (0 read as 1); <see langword="null"/> without attention.</summary>
    public DecoderMemory? Memory(Tensor encoderOutputs, Tensor lengths)
    {
        if (attentionKeys is null)
            return null;
        using var scope = NewDisposeScope();
        long S = encoderOutputs.shape[1];
        var positions = arange(S, ScalarType.Int64, device: encoderOutputs.device).unsqueeze(0);           // (1, S)
        var valid = positions.lt(lengths.to(encoderOutputs.device).clamp_min(1).unsqueeze(1));             // (B, S)
        var keys = attentionKeys.call(encoderOutputs);                                                      // (B, S, H)
        return new DecoderMemory(encoderOutputs.alias().MoveToOuterDisposeScope(), keys.MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }

    /// <summary>Runs the decoder over <paramref name="inputs"/> <c>(T, B)</c> (BOS then the previous tokens).</summary>
    /// <param name="inputs">Previous-token ids <c>(T, B)</c>, T ≥ 1.</param>
    /// <param name="state">The state before the first of these steps.</param>
    /// <param name="memory">The attention memory; required with attention.</param>
    /// <param name="firstStepCondition">The condition <c>(B, C)</c> when <paramref name="inputs"/> starts at the first step; <see langword="null"/> feeds zeros (later steps).</param>
    /// <returns>Logits <c>(T, B, V)</c> and the state after the last step.</returns>
    public (Tensor Logits, DecoderState Next) Forward(Tensor inputs, DecoderState state, DecoderMemory? memory, Tensor? firstStepCondition)
    {
        using var scope = NewDisposeScope();
        long T = inputs.shape[0], B = inputs.shape[1];
        var x = embedding.call(inputs);                                                                     // (T, B, E)
        if (StepConditionSize > 0)
        {
            var condition = zeros(T, B, StepConditionSize, device: x.device);                               // (T, B, C)
            if (firstStepCondition is not null)
                condition = cat([firstStepCondition.unsqueeze(0), condition.narrow(0, 1, T - 1)], 0);
            x = cat([x, condition], 2);                                                                    // (T, B, E + C)
        }

        var (y, hN, cN) = recurrent.Run(x, null, state.H, state.C);                                         // (T, B, H)
        if (attentionCombine is not null)
        {
            if (memory is null)
                throw new InvalidOperationException("The decoder attends over the encoder outputs but got no memory.");
            var query = y.transpose(0, 1);                                                                  // (B, T, H)
            var scores = query.bmm(memory.Keys.transpose(1, 2));                                            // (B, T, S)
            scores = scores.masked_fill(memory.Valid.logical_not().unsqueeze(1), float.NegativeInfinity);
            var context = scores.softmax(-1).bmm(memory.Outputs);                                           // (B, T, F)
            y = attentionCombine.call(cat([context, query], 2)).tanh().transpose(0, 1);                     // (T, B, H)
        }

        var logits = output.call(dropout.call(y));                                                          // (T, B, V)
        return (logits.MoveToOuterDisposeScope(), new DecoderState(hN.MoveToOuterDisposeScope(), cN?.MoveToOuterDisposeScope()));
    }
}
