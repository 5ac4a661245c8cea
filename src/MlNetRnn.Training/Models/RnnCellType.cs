namespace MlNetRnn.Training.Models;

/// <summary>The recurrent cell of an <see cref="RnnSequenceModel"/>.</summary>
public enum RnnCellType
{
    /// <summary>Elman RNN with tanh: <c>h' = tanh(W x + b_W + R h + b_R)</c>.</summary>
    RnnTanh,
    /// <summary>Elman RNN with ReLU: <c>h' = relu(W x + b_W + R h + b_R)</c>.</summary>
    RnnRelu,
    /// <summary>Long short-term memory (input, forget, cell and output gates).</summary>
    Lstm,
    /// <summary>Gated recurrent unit (reset and update gates, PyTorch's formulation).</summary>
    Gru,
}
