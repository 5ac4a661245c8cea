using System.IO.Compression;
using System.Text.Json;
using MlNetRnn.Transforms.Generation;
using MlNetRnn.Transforms.Onnx;
using Onnx;
using static MlNetRnn.Transforms.Tests.Fixtures.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>
/// Tiny generator packages written by hand, independently of MlNetRnn.Training's exporter: a sum-of-embeddings encoder (or a
/// linear condition encoder) and a tanh-RNN decoder step, with state <c>state_h</c> [1, batch, H].
/// </summary>
internal static class TestGeneratorPackages
{
    public static readonly string[] SourceTokens = ["<pad>", "<unk>", "a", "b", "c", "d", "e", "f", "g", "h"];
    public static readonly string[] TargetTokens = ["<pad>", "<s>", "</s>", "A", "B", "C", "D", "E", "F"];

    public static byte[] SequenceToSequence(int hidden = 6, int seed = 5, Func<GeneratorManifest, GeneratorManifest>? edit = null)
    {
        var manifest = Manifest(hidden) with
        {
            Kind = "seq2seq",
            Source = new GeneratorSource
            {
                Tokens = SourceTokens,
                PadId = 0,
                UnknownId = 1,
                Tokenization = new TextTokenization(false, true, TextTokenization.DefaultWordPattern).ToJson(),
                MaxLength = 6,
            },
        };
        var g = new OnnxGraph(seed);
        g.Input(GeneratorGraphNames.SourceIds, DataType.Int64, "batch", "source");
        g.Input(GeneratorGraphNames.SourceLengths, DataType.Int64, "batch");
        g.Output("state_h", DataType.Float, 1, "batch", hidden);
        var embedding = RandomValues(seed, SourceTokens.Length * hidden, 1f);
        Array.Clear(embedding, 0, hidden);                                                      // the padding row is zero
        string emb = g.Op("Gather", g.Floats("source_embedding", [SourceTokens.Length, hidden], embedding), GeneratorGraphNames.SourceIds); // (B, S, H)
        string sum = g.Op("ReduceSum", [emb, g.Ints("axis1", 1)], Int("keepdims", 0));         // (B, H)
        string lengthsF = g.Op("Cast", [GeneratorGraphNames.SourceLengths], Int("to", (long)DataType.Float));
        string scaled = g.Op("Add", sum, g.Op("Unsqueeze", lengthsF, g.Ints("axis1b", 1)));    // (B, H): the length matters too
        g.Named("state_h", "Unsqueeze", [g.Op("Tanh", scaled), g.Ints("axis0", 0)]);            // (1, B, H)
        return Zip(edit?.Invoke(manifest) ?? manifest, Bytes(g.Model()), DecoderStep(hidden, seed + 1, conditionSize: 0));
    }

    public static byte[] Conditioned(int conditionSize = 2, bool classes = true, bool conditionAtFirstStep = false, int hidden = 6, int seed = 9)
    {
        var manifest = Manifest(hidden) with
        {
            Kind = "conditioned",
            Condition = new GeneratorCondition { Size = conditionSize, ClassNames = classes ? Enumerable.Range(0, conditionSize).Select(i => $"class{i}").ToArray() : null },
            ConditionAtFirstStep = conditionAtFirstStep,
        };
        var g = new OnnxGraph(seed);
        g.Input(GeneratorGraphNames.Condition, DataType.Float, "batch", conditionSize);
        g.Output("state_h", DataType.Float, 1, "batch", hidden);
        string h = g.Op("Tanh", g.Op("MatMul", GeneratorGraphNames.Condition, g.Random("condition_weight", 1.5f, conditionSize, hidden))); // (B, H)
        g.Named("state_h", "Unsqueeze", [h, g.Ints("axis0", 0)]);                               // (1, B, H)
        return Zip(manifest, Bytes(g.Model()), DecoderStep(hidden, seed + 1, conditionAtFirstStep ? conditionSize : 0));
    }

    /// <summary>The package with its manifest replaced.</summary>
    public static byte[] WithManifest(byte[] package, Func<GeneratorManifest, GeneratorManifest> edit)
    {
        var (manifest, encoder, decoder) = Unzip(package);
        return Zip(edit(manifest), encoder, decoder);
    }

    /// <summary>The package with an entry replaced (or removed when <paramref name="content"/> is null).</summary>
    public static byte[] WithEntry(byte[] package, string entryName, byte[]? content)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                byte[]? bytes = entry.FullName == entryName ? content : Read(entry);
                if (bytes is null)
                    continue;
                using var stream = target.CreateEntry(entry.FullName).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    public static (GeneratorManifest Manifest, byte[] Encoder, byte[] Decoder) Unzip(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var manifest = JsonSerializer.Deserialize<GeneratorManifest>(Read(zip.GetEntry(GeneratorManifest.EntryName)!))!;
        return (manifest, Read(zip.GetEntry(GeneratorManifest.EncoderEntryName)!), Read(zip.GetEntry(GeneratorManifest.DecoderStepEntryName)!));
    }

    private static GeneratorManifest Manifest(int hidden) => new()
    {
        DecoderCell = "rnn",
        Target = new GeneratorTarget { Tokens = TargetTokens, PadId = 0, BosId = 1, EosId = 2, Joiner = "" },
        States = [new GeneratorState { Name = "state_h", NextName = "next_state_h", Shape = [1, -1, hidden] }],
        MaxTargetLength = 8,
    };

    private static byte[] DecoderStep(int hidden, int seed, int conditionSize)
    {
        int V = TargetTokens.Length;
        var g = new OnnxGraph(seed);
        g.Input(GeneratorGraphNames.PreviousToken, DataType.Int64, "batch");
        g.Input("state_h", DataType.Float, 1, "batch", hidden);
        if (conditionSize > 0)
            g.Input(GeneratorGraphNames.Condition, DataType.Float, "batch", conditionSize);
        g.Output(GeneratorGraphNames.LogProbabilities, DataType.Float, "batch", V);
        g.Output("next_state_h", DataType.Float, 1, "batch", hidden);
        string x = g.Op("Gather", g.Random("target_embedding", 1f, V, hidden), GeneratorGraphNames.PreviousToken); // (B, H)
        if (conditionSize > 0)
            x = g.Op("Add", x, g.Op("MatMul", GeneratorGraphNames.Condition, g.Random("condition_input", 2f, conditionSize, hidden)));
        string s = g.Op("Squeeze", "state_h", g.Ints("axis0", 0));                                 // (B, H)
        string h = g.Op("Tanh", g.Op("Add", x, g.Op("MatMul", s, g.Random("recurrent", 0.9f, hidden, hidden)))); // (B, H)
        g.Named("next_state_h", "Unsqueeze", [h, g.Ints("axis0b", 0)]);                          // (1, B, H)
        var bias = new float[V];
        bias[2] = -1.5f;                                                                           // EOS less likely: sequences of a few tokens
        string logits = g.Op("Add", g.Op("MatMul", h, g.Random("output_weight", 1.5f, hidden, V)), g.Floats("output_bias", [V], bias)); // (B, V)
        g.Named(GeneratorGraphNames.LogProbabilities, "LogSoftmax", [logits], Int("axis", -1));
        return Bytes(g.Model());
    }

    private static float[] RandomValues(int seed, int count, float scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
    }

    private static byte[] Zip(GeneratorManifest manifest, byte[] encoder, byte[] decoder)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, GeneratorManifest.EntryName, JsonSerializer.SerializeToUtf8Bytes(manifest));
            Write(zip, GeneratorManifest.EncoderEntryName, encoder);
            Write(zip, GeneratorManifest.DecoderStepEntryName, decoder);
        }

        return output.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
