using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Models;

/// <summary>Creates torch's RNN/LSTM/GRU module for a cell and calls it with one signature whatever the cell.</summary>
internal static class RecurrentModules
{
    public static Module Create(RnnCellType cell, int inputSize, int hiddenSize, int layers, double dropout, bool bidirectional) => cell switch
    {
        RnnCellType.Lstm => LSTM(inputSize, hiddenSize, layers, dropout: dropout, bidirectional: bidirectional),
        RnnCellType.Gru => GRU(inputSize, hiddenSize, layers, dropout: dropout, bidirectional: bidirectional),
        RnnCellType.RnnRelu => RNN(inputSize, hiddenSize, layers, NonLinearities.ReLU, dropout: dropout, bidirectional: bidirectional),
        _ => RNN(inputSize, hiddenSize, layers, NonLinearities.Tanh, dropout: dropout, bidirectional: bidirectional),
    };

    public static (Tensor Y, Tensor HN, Tensor? CN) Call(Module rnn, Tensor input, Tensor h0, Tensor? c0)
    {
        switch (rnn)
        {
            case LSTM lstm:
                return lstm.call(input, (h0, c0!));
            case GRU gru:
                var (yg, hg) = gru.call(input, h0);
                return (yg, hg, null);
            default:
                var (yr, hr) = ((RNN)rnn).call(input, h0);
                return (yr, hr, null);
        }
    }

    public static (nn.utils.rnn.PackedSequence Y, Tensor HN, Tensor? CN) Call(Module rnn, nn.utils.rnn.PackedSequence input, Tensor h0, Tensor? c0)
    {
        switch (rnn)
        {
            case LSTM lstm:
                return lstm.call(input, (h0, c0!));
            case GRU gru:
                var (yg, hg) = gru.call(input, h0);
                return (yg, hg, null);
            default:
                var (yr, hr) = ((RNN)rnn).call(input, h0);
                return (yr, hr, null);
        }
    }
}
