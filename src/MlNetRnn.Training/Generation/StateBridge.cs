using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Generation;

/// <summary>
/// The learned bridge to the decoder's initial state: each state (hidden, and cell for an LSTM) is
/// <c>tanh(Linear(input))</c> reshaped to <c>(layers, B, hidden)</c>.
/// </summary>
internal sealed class StateBridge : Module
{
    private readonly Linear hidden;
    private readonly Linear? cell;

    public StateBridge(int inputSize, int layers, int hiddenSize, bool lstm) : base(nameof(StateBridge))
    {
        Layers = layers;
        HiddenSize = hiddenSize;
        hidden = Linear(inputSize, layers * hiddenSize);
        cell = lstm ? Linear(inputSize, layers * hiddenSize) : null;
        RegisterComponents();
    }

    public int Layers { get; }

    public int HiddenSize { get; }

    public Linear Hidden => hidden;

    public Linear? Cell => cell;

    /// <summary>The initial state from <paramref name="forHidden"/> <c>(B, In)</c> and, for an LSTM, <paramref name="forCell"/> <c>(B, In)</c>.</summary>
    public DecoderState Apply(Tensor forHidden, Tensor forCell)
    {
        using var scope = NewDisposeScope();
        var h = Shape(hidden.call(forHidden).tanh()).MoveToOuterDisposeScope();
        var c = cell is null ? null : Shape(cell.call(forCell).tanh()).MoveToOuterDisposeScope();
        return new DecoderState(h, c);
    }

    private Tensor Shape(Tensor flat) => flat.view(flat.shape[0], Layers, HiddenSize).permute(1, 0, 2).contiguous(); // (L, B, H)
}
