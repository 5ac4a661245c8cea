using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetRnn.Training.Models;

/// <summary>
/// The character half of a word's representation: character embedding → bidirectional one-layer RNN/LSTM/GRU over the word's
/// characters → the two final states, concatenated (forward first).
/// </summary>
/// <remarks>
/// A word with no characters (a padded position) gets zeros: it runs one step on the padding character (so that every length
/// the recurrent kernels see is at least 1, as in the ONNX graph) and the result is multiplied by 0. Always packed, so
/// character padding never changes a result. Parameters: <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, … (under <c>chars.</c> in the model).
/// </remarks>
internal sealed class CharWordEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Module rnn;
    private readonly int hidden;

    public CharWordEncoder(RnnModelConfig config) : base(nameof(CharWordEncoder))
    {
        hidden = config.CharHiddenSize;
        int E = config.CharEmbeddingDim, H = config.CharHiddenSize;
        embedding = Embedding(config.CharVocabSize, E, padding_idx: 0);
        rnn = config.Cell switch
        {
            RnnCellType.Lstm => LSTM(E, H, 1, bidirectional: true),
            RnnCellType.Gru => GRU(E, H, 1, bidirectional: true),
            RnnCellType.RnnRelu => RNN(E, H, 1, NonLinearities.ReLU, bidirectional: true),
            _ => RNN(E, H, 1, NonLinearities.Tanh, bidirectional: true),
        };
        RegisterComponents();
    }

    /// <param name="charIds">Character ids, int64 <c>(T, B, W)</c>, padded with 0.</param>
    /// <param name="charLengths">Number of characters of each word, int64 <c>(T, B)</c>, each in <c>[0, W]</c>.</param>
    /// <returns>Character features <c>(T, B, 2 * CharHiddenSize)</c>.</returns>
    public override Tensor forward(Tensor charIds, Tensor charLengths)
    {
        using var scope = NewDisposeScope();
        long T = charIds.shape[0], B = charIds.shape[1], W = charIds.shape[2], N = T * B;
        var ids = charIds.reshape(N, W).t();                                           // (W, N)
        var lengths = charLengths.reshape(N);                                          // (N)
        var x = embedding.call(ids);                                                   // (W, N, Ec)
        var packed = nn.utils.rnn.pack_padded_sequence(x, lengths.to(CPU).clamp_min(1), batch_first: false, enforce_sorted: false);
        var h0 = zeros(2, N, hidden, device: charIds.device);
        Tensor hN = rnn switch                                                         // (2, N, Hc)
        {
            LSTM lstm => lstm.call(packed, (h0, zeros_like(h0))).Item2,
            GRU gru => gru.call(packed, h0).Item2,
            _ => ((RNN)rnn).call(packed, h0).Item2,
        };
        var features = hN.permute(1, 0, 2).reshape(N, 2 * hidden);                    // (N, 2Hc), forward first
        var nonEmpty = lengths.gt(0).unsqueeze(1).to(features.dtype);                  // (N, 1)
        return (features * nonEmpty).reshape(T, B, 2 * hidden).MoveToOuterDisposeScope(); // (T, B, 2Hc)
    }
}
