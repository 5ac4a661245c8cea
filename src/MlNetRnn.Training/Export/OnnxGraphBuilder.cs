using System.Buffers.Binary;
using Google.Protobuf;
using MlNetRnn.Training.Export.Onnx;
using DataType = MlNetRnn.Training.Export.Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Training.Export;

/// <summary>
/// Appends inputs, outputs, constant initializers and nodes to an ONNX <see cref="GraphProto"/>. Nodes must be added in
/// topological order; unnamed results get unique names (<c>Transpose_3</c>).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private int nodeCount;

    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    public void AddInput(string name, DataType type, params OnnxDim[] dims) => Graph.Input.Add(ValueInfo(Claim(name), type, dims));

    /// <summary>Declares <paramref name="name"/> (already produced by a node) as a graph output.</summary>
    public void AddOutput(string name, DataType type, params OnnxDim[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    public string AddInitializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var bytes = new byte[data.Length * sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
        return AddInitializer(name, DataType.Float, bytes, dims);
    }

    public string AddInitializer(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var bytes = new byte[data.Length * sizeof(long)];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        return AddInitializer(name, DataType.Int64, bytes, dims);
    }

    /// <summary>Adds a node with one result, named <paramref name="output"/> or generated, and returns that name.</summary>
    public string Add(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes) =>
        AddMulti(opType, inputs, [output ?? NewName(opType)], attributes)[0];

    /// <summary>Adds a node with several results; an empty input name marks an omitted optional input.</summary>
    public string[] AddMulti(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{nodeCount++}" };
        // Trailing omitted optional inputs are dropped rather than written as "".
        int count = inputs.Length;
        while (count > 0 && inputs[count - 1].Length == 0)
            count--;
        node.Input.AddRange(inputs.Take(count));
        foreach (var output in outputs)
            node.Output.Add(Claim(output));
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    public string NewName(string prefix)
    {
        string name;
        int i = 0;
        do
            name = $"{prefix}_{i++}";
        while (names.Contains(name));
        return name;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private string AddInitializer(string name, DataType type, byte[] bytes, long[] dims)
    {
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private string Claim(string name)
    {
        if (!names.Add(name))
            throw new InvalidOperationException($"ONNX graph '{Graph.Name}': the value name '{name}' is already taken.");
        return name;
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
            throw new InvalidOperationException($"Initializer '{name}': shape [{string.Join(", ", dims)}] needs {expected} values, got {count}.");
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, OnnxDim[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim.Param is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Value }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Param });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
