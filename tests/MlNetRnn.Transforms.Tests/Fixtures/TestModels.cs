using System.Globalization;
using System.Text.Json;
using Onnx;
using static MlNetRnn.Transforms.Tests.Fixtures.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>Tiny ONNX models built by hand, independently of the exporter in MlNetRnn.Training.</summary>
internal static class TestModels
{
    public enum Task
    {
        SequenceClassification,
        TokenClassification,
        LanguageModel,
    }

    /// <summary>
    /// What <c>torch.onnx.export</c> gives for Embedding → LSTM(batch_first) → Linear on <c>h_n[-1]</c>: input <c>input</c>
    /// int64 [batch, seq] (no lengths), output <c>output</c> float [batch, classes] logits.
    /// </summary>
    public static byte[] PyTorchLstmClassifier(int vocab = 20, int embedding = 4, int hidden = 5, int classes = 2, int seed = 1)
    {
        var g = new OnnxGraph(seed);
        g.Input("input", DataType.Int64, "batch", "sequence");
        g.Output("output", DataType.Float, "batch", classes);
        string emb = g.Op("Gather", g.Random("embedding.weight", 1f, vocab, embedding), "input");          // (B, T, E)
        string x = g.Op("Transpose", [emb], IntList("perm", 1, 0, 2));                                      // (T, B, E)
        var lstm = g.Node("LSTM",
            [x, g.Random("W", 0.5f, 1, 4 * hidden, embedding), g.Random("R", 0.5f, 1, 4 * hidden, hidden), g.Random("B", 0.2f, 1, 8 * hidden)],
            3, null, Int("hidden_size", hidden));
        string h = g.Op("Squeeze", lstm[1], g.Ints("axes0", 0));                                           // (B, H)
        g.Named("output", "Gemm", [h, g.Random("fc.weight", 0.7f, classes, hidden), g.Random("fc.bias", 0.1f, classes)], Int("transB", 1));
        return Bytes(g.Model());
    }

    /// <summary>
    /// A model in this project's README format: Gather → GRU/LSTM with <c>sequence_lens</c> → head, with its metadata.
    /// Zero-length rows follow the contract: the RNN sees length 1, and the state is reset to the initial state.
    /// </summary>
    public static byte[] MlNetRnn(Task task, bool lstm = false, int vocab = 12, int embedding = 4, int hidden = 6, int classes = 3,
        string[]? labels = null, string[]? vocabulary = null, string? tokenization = null, bool bidirectional = false, int seed = 7,
        IEnumerable<(string Key, string Value)>? extraMetadata = null, bool withoutMetadata = false, bool int32Inputs = false)
    {
        int D = bidirectional && task != Task.LanguageModel ? 2 : 1;
        int outputs = task == Task.LanguageModel ? vocab : classes;
        var g = new OnnxGraph(seed);
        g.Input("input_ids", int32Inputs ? DataType.Int32 : DataType.Int64, "batch", "seq");
        g.Input("lengths", int32Inputs ? DataType.Int32 : DataType.Int64, "batch");
        string ids = int32Inputs ? g.Op("Cast", ["input_ids"], Int("to", (long)DataType.Int64)) : "input_ids";
        string lengths = int32Inputs ? g.Op("Cast", ["lengths"], Int("to", (long)DataType.Int64)) : "lengths";
        if (task == Task.LanguageModel)
        {
            g.Input("initial_h", DataType.Float, D, "batch", hidden);
            if (lstm)
                g.Input("initial_c", DataType.Float, D, "batch", hidden);
        }

        // Padding-id embedding is zero, as in training.
        var table = g.Random("embedding.weight", 1f, vocab, embedding);
        string emb = g.Op("Gather", table, ids);                                                  // (B, T, E)
        string x = g.Op("Transpose", [emb], IntList("perm", 1, 0, 2));                                     // (T, B, E)
        string clamped = g.Op("Max", lengths, g.Ints("one", 1));
        string seqLens = g.Op("Cast", [clamped], Int("to", (long)DataType.Int32));                        // (B) int32
        int gates = lstm ? 4 : 3;
        string initialH = task == Task.LanguageModel ? "initial_h" : string.Empty;
        string initialC = task == Task.LanguageModel && lstm ? "initial_c" : string.Empty;
        var rnnInputs = new List<string>
        {
            x, g.Random("W", 0.5f, D, gates * hidden, embedding), g.Random("R", 0.5f, D, gates * hidden, hidden),
            g.Random("B", 0.2f, D, 2 * gates * hidden), seqLens, initialH,
        };
        if (lstm)
            rnnInputs.Add(initialC);
        var attributes = new List<AttributeProto> { Int("hidden_size", hidden) };
        if (!lstm)
            attributes.Add(Int("linear_before_reset", 1));
        if (D == 2)
            attributes.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("bidirectional") });
        var rnn = g.Node(lstm ? "LSTM" : "GRU", [.. rnnInputs], lstm ? 3 : 2, null, [.. attributes]);

        // nonEmpty: (B) float 1/0
        string nonEmpty = g.Op("Cast", [g.Op("Greater", lengths, g.Ints("zero", 0))], Int("to", (long)DataType.Float));
        string y = g.Op("Transpose", [rnn[0]], IntList("perm", 2, 0, 1, 3));                               // (B, T, D, H)
        string hiddenStates = g.Op("Reshape", y, g.Ints("bt_dh", 0, 0, D * hidden));                       // (B, T, D*H)
        string mask3 = g.Op("Unsqueeze", nonEmpty, g.Ints("axes12", 1, 2));                                // (B, 1, 1)
        g.Named("hidden_states", "Mul", [hiddenStates, mask3]);
        string yh = g.Op("Transpose", [rnn[1]], IntList("perm", 1, 0, 2));                                 // (B, D, H)
        string last = g.Op("Reshape", yh, g.Ints("b_dh", 0, D * hidden));                                  // (B, D*H)
        string mask2 = g.Op("Unsqueeze", nonEmpty, g.Ints("axes1", 1));                                    // (B, 1)
        string lastMasked = task == Task.LanguageModel
            ? g.Op("Add", g.Op("Mul", last, mask2), g.Op("Mul", g.Op("Reshape", g.Op("Transpose", ["initial_h"], IntList("perm", 1, 0, 2)), g.Ints("b_dh2", 0, D * hidden)), g.Op("Sub", g.Floats("onef", [1], 1f), mask2)))
            : g.Op("Mul", last, mask2);
        g.Named("last_hidden", "Identity", [lastMasked]);
        g.Output("hidden_states", DataType.Float, "batch", "seq", D * hidden);
        g.Output("last_hidden", DataType.Float, "batch", D * hidden);

        string headW = g.Random("head.weight_t", 0.8f, D * hidden, outputs);
        string headB = g.Random("head.bias", 0.1f, outputs);
        switch (task)
        {
            case Task.SequenceClassification:
                string logits = g.Op("Add", g.Op("MatMul", "last_hidden", headW), headB);                   // (B, C)
                g.Named("probabilities", "Softmax", [logits], Int("axis", -1));
                g.Named("predicted_label", "ArgMax", ["probabilities"], Int("axis", -1), Int("keepdims", 0));
                g.Output("probabilities", DataType.Float, "batch", classes);
                g.Output("predicted_label", DataType.Int64, "batch");
                break;
            case Task.TokenClassification:
                string tokenLogits = g.Op("Add", g.Op("MatMul", "hidden_states", headW), headB);            // (B, T, C)
                g.Named("probabilities", "Softmax", [tokenLogits], Int("axis", -1));
                g.Named("predicted_label", "ArgMax", ["probabilities"], Int("axis", -1), Int("keepdims", 0));
                g.Output("probabilities", DataType.Float, "batch", "seq", classes);
                g.Output("predicted_label", DataType.Int64, "batch", "seq");
                break;
            default:
                string lmLogits = g.Op("Add", g.Op("MatMul", "hidden_states", headW), headB);               // (B, T, V)
                g.Named("log_probs", "LogSoftmax", [lmLogits], Int("axis", -1));
                g.Named("final_h", "Identity", [rnn[1]]);
                g.Output("log_probs", DataType.Float, "batch", "seq", vocab);
                g.Output("final_h", DataType.Float, D, "batch", hidden);
                break;
        }

        string taskName = task switch
        {
            Task.SequenceClassification => "sequence_classification",
            Task.TokenClassification => "token_classification",
            _ => "language_model",
        };
        var metadata = new List<(string, string)>
        {
            ("mlnetrnn.format_version", "1"),
            ("mlnetrnn.task", taskName),
            ("mlnetrnn.cell", lstm ? "lstm" : "gru"),
            ("mlnetrnn.num_layers", "1"),
            ("mlnetrnn.num_directions", D.ToString(CultureInfo.InvariantCulture)),
            ("mlnetrnn.embedding_dim", embedding.ToString(CultureInfo.InvariantCulture)),
            ("mlnetrnn.hidden_size", hidden.ToString(CultureInfo.InvariantCulture)),
            ("mlnetrnn.vocab_size", vocab.ToString(CultureInfo.InvariantCulture)),
            ("mlnetrnn.num_classes", outputs.ToString(CultureInfo.InvariantCulture)),
            ("mlnetrnn.pad_id", "0"),
            ("mlnetrnn.unk_id", "1"),
        };
        if (labels is not null)
            metadata.Add(("mlnetrnn.labels", JsonSerializer.Serialize(labels)));
        if (vocabulary is not null)
            metadata.Add(("mlnetrnn.vocabulary", JsonSerializer.Serialize(vocabulary)));
        if (tokenization is not null)
            metadata.Add(("mlnetrnn.tokenization", tokenization));
        if (extraMetadata is not null)
            metadata.AddRange(extraMetadata);
        return Bytes(withoutMetadata ? g.Model() : g.Model([.. metadata]));
    }
}
