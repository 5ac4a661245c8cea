// The walk-through this project starts from, step by step with TorchSharp, then the same model through MlNetRnn:
// packed training-grade forward pass, ONNX export, and ONNX Runtime agreeing with TorchSharp.
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

const int VocabSize = 100, PadId = 0, EmbeddingDim = 256, HiddenSize = 512;
int[][] sequences =
[
    [85, 14, 80, 34, 99, 20, 31, 65, 53, 86, 3, 58, 30, 4, 11, 6, 50, 71, 74, 13],
    [62, 76, 79, 66, 32],
    [93, 77, 16, 67, 46, 74, 24, 70],
    [19, 83, 88, 22, 57, 40, 75, 82, 4, 46],
    [70, 28, 30, 24, 76, 84, 92, 76, 77, 51, 7, 20, 82, 94, 57],
    [58, 13, 40, 61, 88, 18, 92, 89, 8, 14, 61, 67, 49, 59, 45, 12, 47, 5],
    [22, 5, 21, 84, 39, 6, 9, 84, 36, 59, 32, 30, 69, 70, 82, 56, 1],
    [94, 21, 79, 24, 3, 86],
    [80, 80, 33, 63, 34, 63],
    [87, 32, 79, 65, 2, 96, 43, 80, 85, 20, 41, 52, 95, 50, 35, 96, 24, 80],
];

torch.manual_seed(0);
using var scope = torch.NewDisposeScope();
torch.set_grad_enabled(false);

// 1. Pad to the longest sequence with pad_id and keep the valid lengths.
int maxLength = sequences.Max(s => s.Length);
int batch = sequences.Length;
var padded = new long[batch, maxLength];
for (int b = 0; b < batch; b++)
    for (int t = 0; t < sequences[b].Length; t++)
        padded[b, t] = sequences[b][t];
long[] lengthValues = sequences.Select(s => (long)s.Length).ToArray();
Console.WriteLine($"max length: {maxLength}");
Console.WriteLine("padded batch (batch, seq):");
for (int b = 0; b < batch; b++)
    Console.WriteLine("  [" + string.Join(", ", Enumerable.Range(0, maxLength).Select(t => padded[b, t].ToString().PadLeft(2))) + "]");
Console.WriteLine($"valid lengths: [{string.Join(", ", lengthValues)}]");

var ids = torch.tensor(padded).t().contiguous();                  // (T, B) time-major, as nn.RNN expects
var lengths = torch.tensor(lengthValues);                          // (B)

// 2. Embedding -> one-layer unidirectional RNN, zero h_0.
var embedding = nn.Embedding(VocabSize, EmbeddingDim, padding_idx: PadId);
var rnn = nn.RNN(EmbeddingDim, HiddenSize, numLayers: 1);
var h0 = torch.zeros(1, batch, HiddenSize);
var embedded = embedding.call(ids);                                // (T, B, E)
var (hiddenStates, hN) = rnn.call(embedded, h0);                   // (T, B, H), (1, B, H)
Console.WriteLine($"embedded shape: {Shape(embedded)}");
Console.WriteLine($"hidden_states shape: {Shape(hiddenStates)}");
Console.WriteLine($"h_n shape: {Shape(hN)}");

// 3. Many-to-one: 2 classes from h_n. Many-to-many: 5 classes at every step.
var classifier = nn.Linear(HiddenSize, 2);
var tagger = nn.Linear(HiddenSize, 5);
Console.WriteLine($"2-class output from h_n: {Shape(classifier.call(hN[-1]))}");
Console.WriteLine($"5-class token-level output: {Shape(tagger.call(hiddenStates))}");

// 4. Packed path: sort by length (descending), pack, run, unpack.
var (sortedLengths, order) = lengths.sort(descending: true);
var packed = nn.utils.rnn.pack_padded_sequence(embedded.index_select(1, order), sortedLengths, batch_first: false, enforce_sorted: true);
var (packedOut, packedHN) = rnn.call(packed, h0);
var (unpacked, unpackedLengths) = nn.utils.rnn.pad_packed_sequence(packedOut, batch_first: false);
Console.WriteLine($"packed path: unpacked hidden_states shape {Shape(unpacked)}, lengths [{string.Join(", ", unpackedLengths.data<long>().ToArray())}]");

// Why pack: without it, the padded steps keep changing h_n of every sequence shorter than the longest.
var packedHNInOriginalOrder = packedHN.index_select(1, order.argsort());
Console.WriteLine($"max |h_n(padded) - h_n(packed)|: {(hN - packedHNInOriginalOrder).abs().max().item<float>():G3} (padding leaks into the unpacked result)");

// 5. The same network through MlNetRnn: padding-invariant by construction (packed inside forward).
var config = new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.RnnTanh, VocabSize, EmbeddingDim, HiddenSize, NumClasses: 2, PadId: PadId);
using var model = new RnnSequenceModel(config);
model.eval();
model.load_state_dict(new Dictionary<string, Tensor>
{
    ["embedding.weight"] = embedding.weight!,
    ["rnn.weight_ih_l0"] = rnn.get_weight_ih(0)!,
    ["rnn.weight_hh_l0"] = rnn.get_weight_hh(0)!,
    ["rnn.bias_ih_l0"] = rnn.get_bias_ih(0)!,
    ["rnn.bias_hh_l0"] = rnn.get_bias_hh(0)!,
    ["head.weight"] = classifier.weight!,
    ["head.bias"] = classifier.bias!,
});
var output = model.forward(ids, lengths);
Console.WriteLine($"MlNetRnn: hidden_states {Shape(output.HiddenStates)}, h_n {Shape(output.FinalHidden)}, logits {Shape(output.Logits)}");
Console.WriteLine($"max |h_n(MlNetRnn) - h_n(packed)|: {(output.FinalHidden - packedHNInOriginalOrder).abs().max().item<float>():G3}");

// 6. Export to ONNX (written by MlNetRnn itself) and let ONNX Runtime score the same ten sequences.
byte[] onnx = OnnxExporter.Export(model, new OnnxExportOptions { Labels = ["class 0", "class 1"] });
Console.WriteLine($"ONNX model: {onnx.Length:N0} bytes (opset 17; inputs input_ids [batch, seq] int64, lengths [batch] int64)");
Console.WriteLine(OnnxParity.Verify(model, onnx, sequences));

// The many-to-many head, exported and checked the same way.
using var tagModel = new RnnSequenceModel(config with { Task = RnnTask.TokenClassification, NumClasses = 5 });
tagModel.eval();
var tagWeights = model.state_dict().Where(kv => !kv.Key.StartsWith("head.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
tagWeights["head.weight"] = tagger.weight!;
tagWeights["head.bias"] = tagger.bias!;
tagModel.load_state_dict(tagWeights);
Console.WriteLine($"token-level model logits {Shape(tagModel.forward(ids, lengths).Logits)}");
Console.WriteLine(OnnxParity.Verify(tagModel, OnnxExporter.Export(tagModel), sequences));

static string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";
