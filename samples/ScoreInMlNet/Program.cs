// Scores raw text with the shipped sentiment model inside an ML.NET pipeline (no TorchSharp), saves the pipeline with
// mlContext.Model.Save, loads it back with and without the batched fast path, and checks all three agree.
// Usage: dotnet run -c Release --project samples/ScoreInMlNet -- [path/to/model.onnx]
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms;

string modelPath = args.Length > 0 ? args[0] : FindShippedModel("sentiment-bigru.onnx");
var mlContext = new MLContext(seed: 0);
SentenceRow[] sentences =
[
    new() { Text = "The battery lasts all day and the screen is gorgeous." },
    new() { Text = "Terrible service, cold food and a rude waiter." },
    new() { Text = "I would not recommend this movie to anyone." },
    new() { Text = "Great value, works exactly as described!" },
    new() { Text = "" },
    new() { Text = "The plot was thin but the acting saved it." },
];
var data = mlContext.Data.LoadFromEnumerable(sentences);

var pipeline = mlContext.Transforms.ScoreRnnText(modelPath, inputColumnName: nameof(SentenceRow.Text))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("Sentiment", "PredictedLabel"));
var model = pipeline.Fit(data);
var scored = model.Transform(data);

Console.WriteLine($"Model: {modelPath}");
var texts = scored.GetColumn<string>(nameof(SentenceRow.Text)).ToArray();
var labels = scored.GetColumn<ReadOnlyMemory<char>>("Sentiment").ToArray();
var scores = scored.GetColumn<float[]>("Score").ToArray();
for (int i = 0; i < texts.Length; i++)
    Console.WriteLine($"  {labels[i],-9} P(positive)={scores[i][1]:F3}  \"{texts[i]}\"");

// Save with ML.NET's own API; the ONNX bytes travel inside the zip.
string zip = Path.Combine(Path.GetTempPath(), $"mlnetrnn-sentiment-{Environment.ProcessId}.zip");
try
{
    mlContext.Model.Save(model, data.Schema, zip);
    var plain = mlContext.Model.Load(zip, out _);                       // stock ML.NET chain, one row per ONNX call
    using var fast = mlContext.Model.LoadWithRnnFastPath(zip, out _);   // the batched scorer put back in place; disposable
    Console.WriteLine($"Saved {new FileInfo(zip).Length:N0} bytes; max |Δ P(positive)| after Model.Load: {MaxDiff(plain):E2}; after LoadWithRnnFastPath: {MaxDiff(fast):E2}");
    (plain as IDisposable)?.Dispose();
}
finally
{
    File.Delete(zip);
    model.Dispose();
}

double MaxDiff(ITransformer loaded)
{
    var other = loaded.Transform(data).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
    return scores.Zip(other, (a, b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max()).Max();
}

static string FindShippedModel(string file)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "models", file);
        if (File.Exists(candidate))
            return candidate;
    }
    throw new FileNotFoundException($"Could not find models/{file} above {AppContext.BaseDirectory}; pass the model path as the first argument.");
}

/// <summary>One input row: a sentence.</summary>
internal sealed class SentenceRow
{
    public string Text { get; set; } = "";
}
