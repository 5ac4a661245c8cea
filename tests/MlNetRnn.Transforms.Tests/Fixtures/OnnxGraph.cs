using Google.Protobuf;
using Onnx;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>A small helper for writing ONNX graphs by hand with OnnxSharp's protobuf classes.</summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto graph = new() { Name = "test" };
    private readonly Random random;
    private int counter;

    public OnnxGraph(int seed) => random = new Random(seed);

    public ModelProto Model(params (string Key, string Value)[] metadata)
    {
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "MlNetRnn.Tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public static byte[] Bytes(ModelProto model) => model.ToByteArray();

    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>A float initializer with uniform random values in [-scale, scale].</summary>
    public string Random(string name, float scale, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        long count = dims.Aggregate(1L, (a, b) => a * b);
        for (long i = 0; i < count; i++)
            tensor.FloatData.Add((float)((random.NextDouble() * 2) - 1) * scale);
        graph.Initializer.Add(tensor);
        return name;
    }

    public string Ints(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return name;
    }

    public string Floats(string name, long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node; returns its output names (auto-named unless given).</summary>
    public string[] Node(string op, string[] inputs, int outputs = 1, string[]? outputNames = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{counter}" };
        node.Input.AddRange(inputs);
        var names = outputNames ?? Enumerable.Range(0, outputs).Select(i => $"{op.ToLowerInvariant()}_{counter}_{i}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        counter++;
        return names;
    }

    public string Op(string op, params string[] inputs) => Node(op, inputs)[0];

    public string Op(string op, string[] inputs, params AttributeProto[] attributes) => Node(op, inputs, 1, null, attributes)[0];

    public string Named(string output, string op, string[] inputs, params AttributeProto[] attributes) => Node(op, inputs, 1, [output], attributes)[0];

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntList(string name, params long[] values)
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

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var dim in dims)
        {
            tensor.Shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
