using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>A torch RNN/LSTM/GRU stack run time-major, packed by lengths so that padding never changes a result.</summary>
internal sealed class RecurrentStack : Module
{
    private readonly Module rnn;

    public RecurrentStack(RnnCellType cell, int inputSize, int hiddenSize, int layers, bool bidirectional, double dropout)
        : base(nameof(RecurrentStack))
    {
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        Bidirectional = bidirectional;
        rnn = RecurrentModules.Create(cell, inputSize, hiddenSize, layers, layers > 1 ? dropout : 0.0, bidirectional);
        RegisterComponents();
    }

    public RnnCellType Cell { get; }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int Layers { get; }

    public bool Bidirectional { get; }

    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Runs the stack.</summary>
    /// <param name="x">Input <c>(T, B, In)</c>.</param>
    /// <param name="lengths">Each row's length, int64 on the CPU, each in <c>[1, T]</c>; <see langword="null"/> when every row is <c>T</c> long.</param>
    /// <param name="h0">Initial hidden state <c>(L*D, B, H)</c>, or <see langword="null"/> for zeros.</param>
    /// <param name="c0">Initial LSTM cell state, or <see langword="null"/> for zeros; ignored by other cells.</param>
    /// <returns>Outputs <c>(T, B, D*H)</c>, zero past each row's length, and the final states <c>(L*D, B, H)</c>.</returns>
    public (Tensor Y, Tensor HN, Tensor? CN) Run(Tensor x, Tensor? lengths, Tensor? h0, Tensor? c0)
    {
        using var scope = NewDisposeScope();
        long T = x.shape[0], B = x.shape[1];
        h0 ??= zeros(Layers * Directions, B, HiddenSize, device: x.device);
        if (Cell == RnnCellType.Lstm)
            c0 ??= zeros(Layers * Directions, B, HiddenSize, device: x.device);

        Tensor y, hN;
        Tensor? cN;
        // Unpacked only with gradients on and no padding: under no_grad libtorch 2.10's CPU LSTM takes an inference kernel
        // on unpacked input whose numbers differ (see RnnSequenceModel), so inference always packs.
        if (lengths is null && is_grad_enabled())
        {
            (y, hN, cN) = RecurrentModules.Call(rnn, x, h0, c0);
        }
        else
        {
            lengths ??= full(B, T, ScalarType.Int64);
            var packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: false, enforce_sorted: false);
            (var packedOut, hN, cN) = RecurrentModules.Call(rnn, packed, h0, c0);
            (y, _) = nn.utils.rnn.pad_packed_sequence(packedOut, batch_first: false, padding_value: 0.0, total_length: T);
        }

        return (y.MoveToOuterDisposeScope(), hN.MoveToOuterDisposeScope(), cN?.MoveToOuterDisposeScope());
    }

    /// <summary>A float32 CPU copy of a torch parameter of the stack (<c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>, …), for export.</summary>
    public float[] Parameter(string name)
    {
        foreach (var (parameterName, parameter) in rnn.named_parameters())
        {
            if (parameterName == name)
                return Export.RnnWeights.ReadFinite(name, parameter, "model");
        }

        throw new ArgumentException($"ONNX export: the recurrent stack has no parameter '{name}'.", nameof(name));
    }
}
