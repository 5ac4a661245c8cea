using MlNetRnn.Training.Models;
using TorchSharp;
using static TorchSharp.torch;
torch.manual_seed(1);
var m = new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Lstm, 100, 8, 16, 2, true, NumClasses: 3));
m.eval();
var ids = torch.randint(1, 100, new long[]{7, 4}, dtype: ScalarType.Int64);
var lens = torch.tensor(new long[]{7, 3, 0, 5});
var o = m.forward(ids, lens);
Console.WriteLine(string.Join(",", o.HiddenStates.shape) + " " + string.Join(",", o.FinalHidden.shape) + " " + string.Join(",", o.Logits.shape));
foreach (var (n, p) in m.named_parameters()) Console.WriteLine(n + " " + string.Join(",", p.shape));
// padding invariance: row 1 alone with T=3
var o2 = m.forward(ids[..3, 1..2], torch.tensor(new long[]{3}));
Console.WriteLine((o2.Logits - o.Logits[1..2]).abs().max().item<float>());
Console.WriteLine(o.Logits[2].data<float>().ToArray().Aggregate("", (a,b)=>a+" "+b));
