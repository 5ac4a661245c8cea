using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Models;

/// <summary>
/// Embedding → RNN/LSTM/GRU stack → linear head, run on padded, time-major id batches with their lengths.
/// </summary>
/// <remarks>
/// Padding never changes a result: the batch is packed (<c>pack_padded_sequence</c>) so each sequence's states stop at its
/// own length. A zero-length sequence takes no step: its final state is the initial state, its hidden states are zero and
/// its sequence-classification output is the head applied to that initial state (zeros by default).
/// Parameters are named as in PyTorch (<c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>head.weight</c>, …).
/// </remarks>
public sealed class RnnSequenceModel : Module<Tensor, Tensor, RnnOutput>
{
    private readonly Embedding embedding;
    private readonly Module rnn;
    private readonly Dropout dropout;
    private readonly Linear head;

    /// <summary>Creates a model with freshly initialised weights (seed TorchSharp's generator first for reproducibility).</summary>
    /// <param name="config">The shape settings; validated here.</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid.</exception>
    public RnnSequenceModel(RnnModelConfig config) : base(nameof(RnnSequenceModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embedding = Embedding(config.VocabSize, config.EmbeddingDim, padding_idx: config.PadId);
        double interLayerDropout = config.NumLayers > 1 ? config.Dropout : 0.0;
        rnn = RecurrentModules.Create(config.Cell, config.EmbeddingDim, config.HiddenSize, config.NumLayers, interLayerDropout, config.Bidirectional);
        dropout = Dropout(config.Dropout);
        head = Linear(config.FeatureSize, config.OutputSize);
        RegisterComponents();
    }

    /// <summary>The shape settings this model was built with.</summary>
    public RnnModelConfig Config { get; }

    /// <summary>Runs the model from a zero initial state.</summary>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <returns>The output tensors, owned by the caller.</returns>
    public override RnnOutput forward(Tensor ids, Tensor lengths) => forward(ids, lengths, null, null);

    /// <summary>Runs the model from a given initial state (a language model carrying state across chunks).</summary>
    /// <param name="ids">Token ids, int64 <c>(T, B)</c>, padded with <see cref="RnnModelConfig.PadId"/>.</param>
    /// <param name="lengths">Valid length of each sequence, int64 <c>(B)</c>, each in <c>[0, T]</c>.</param>
    /// <param name="h0">Initial hidden state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros.</param>
    /// <param name="c0">Initial LSTM cell state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros; ignored by other cells.</param>
    /// <returns>The output tensors, owned by the caller.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong rank, type or size.</exception>
    public RnnOutput forward(Tensor ids, Tensor lengths, Tensor? h0, Tensor? c0)
    {
        CheckInputs(ids, lengths);
        using var scope = NewDisposeScope();
        long T = ids.shape[0], B = ids.shape[1];
        int LD = Config.NumLayers * Config.NumDirections, H = Config.HiddenSize;

        h0 ??= zeros(LD, B, H, device: ids.device);
        if (Config.Cell == RnnCellType.Lstm)
            c0 ??= zeros(LD, B, H, device: ids.device);

        var emb = embedding.call(ids);                                        // (T, B, E)
        var cpuLengths = lengths.to(CPU);
        Tensor y, hN;
        Tensor? cN;
        // No padding anywhere (BPTT chunks): packing would change nothing but cost time. Only with gradients on, though:
        // under no_grad libtorch 2.10's CPU LSTM takes an inference kernel on unpacked input that gives different, wrong
        // numbers (0.1-0.3 off the packed path and ONNX Runtime), so inference always packs.
        if (T > 0 && is_grad_enabled() && cpuLengths.min().item<long>() == T)
        {
            (y, hN, cN) = RunRecurrent(emb, h0, c0);                          // (T, B, D*H)
        }
        else
        {
            var nonEmpty = cpuLengths.gt(0).to(ids.device);                   // (B)
            // pack_padded_sequence refuses length 0: run such rows for one (masked) step and discard what they produce.
            var packed = nn.utils.rnn.pack_padded_sequence(emb, cpuLengths.clamp_min(1), batch_first: false, enforce_sorted: false);
            (var packedOut, hN, cN) = RunRecurrent(packed, h0, c0);
            (y, _) = nn.utils.rnn.pad_packed_sequence(packedOut, batch_first: false, padding_value: 0.0, total_length: T); // (T, B, D*H)
            var keepState = nonEmpty.view(1, B, 1);                           // (1, B, 1)
            y = y * keepState.to(y.dtype);                                    // (T, B, D*H)
            hN = where(keepState, hN, h0);                                    // (L*D, B, H)
            if (cN is not null)
                cN = where(keepState, cN, c0!);                               // (L*D, B, H)
        }

        Tensor logits;
        if (Config.Task == RnnTask.SequenceClassification)
        {
            var last = hN.view(Config.NumLayers, Config.NumDirections, B, H)[-1]; // (D, B, H)
            var features = last.permute(1, 0, 2).reshape(B, Config.FeatureSize);  // (B, D*H)
            logits = head.call(dropout.call(features));                          // (B, C)
        }
        else
        {
            logits = head.call(dropout.call(y));                                 // (T, B, C)
        }

        return new RnnOutput(
            y.MoveToOuterDisposeScope(),
            hN.MoveToOuterDisposeScope(),
            cN?.MoveToOuterDisposeScope(),
            logits.MoveToOuterDisposeScope());
    }

    private (Tensor Y, Tensor HN, Tensor? CN) RunRecurrent(Tensor input, Tensor h0, Tensor? c0) => RecurrentModules.Call(rnn, input, h0, c0);

    private (nn.utils.rnn.PackedSequence Y, Tensor HN, Tensor? CN) RunRecurrent(nn.utils.rnn.PackedSequence input, Tensor h0, Tensor? c0) =>
        RecurrentModules.Call(rnn, input, h0, c0);

    /// <summary>Checks the shapes and types of a batch's ids and lengths.</summary>
    internal static void CheckInputs(Tensor ids, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lengths);
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"ids: expected an int64 tensor of shape (T, B), got {ids.dtype} of shape ({string.Join(", ", ids.shape)}).", nameof(ids));
        if (lengths.dim() != 1 || lengths.dtype != ScalarType.Int64 || lengths.shape[0] != ids.shape[1])
            throw new ArgumentException($"lengths: expected an int64 tensor of shape ({ids.shape[1]}), got {lengths.dtype} of shape ({string.Join(", ", lengths.shape)}).", nameof(lengths));
    }
}
