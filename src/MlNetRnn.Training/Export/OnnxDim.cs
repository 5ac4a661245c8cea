namespace MlNetRnn.Training.Export;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as <c>batch</c>.</summary>
internal readonly record struct OnnxDim(long Value, string? Param)
{
    public static implicit operator OnnxDim(long value) => new(value, null);

    public static implicit operator OnnxDim(string param) => new(0, param);
}
