// Sentence sentiment (UCI Sentiment Labelled Sentences: Amazon, IMDb, Yelp): word-level vocabulary, bidirectional GRU,
// classification from the final hidden state (many-to-one), compared with the AFINN lexicon baseline.
// Usage: dotnet run -c Release --project samples/SentimentClassifier -- [--epochs 15] [--hidden 64]
using MlNetRnn.Samples;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

int epochs = SampleConsole.Option(args, "epochs", 15);
int hidden = SampleConsole.Option(args, "hidden", 64);
int embedding = SampleConsole.Option(args, "embedding", 64);
string name = SampleConsole.Option(args, "name", "sentiment-bigru");
torch.set_num_threads(Environment.ProcessorCount);

// Seeded 80/10/10 split, stratified by source and label so every part has all three sites in balance.
var all = SampleConsole.LoadData(SentimentSentences.Load);
var random = new Random(2024);
var (train, valid, test) = (new List<LabeledText>(), new List<LabeledText>(), new List<LabeledText>());
foreach (var group in all.GroupBy(x => (x.Source, x.Label)))
{
    var items = group.OrderBy(_ => random.Next()).ToList();
    int nTest = items.Count / 10, nValid = items.Count / 10;
    test.AddRange(items.Take(nTest));
    valid.AddRange(items.Skip(nTest).Take(nValid));
    train.AddRange(items.Skip(nTest + nValid));
}

var vocabulary = Vocabulary.BuildWordLevel(train.Select(x => x.Text), minCount: 1, lowercase: true);
var labels = LabelSet.FromNames(SentimentSentences.Labels);
List<SequenceExample> Encode(IEnumerable<LabeledText> items) => items.Select(x => new SequenceExample(vocabulary.Encode(x.Text), x.Label)).ToList();
var (trainSet, validSet, testSet) = (Encode(train), Encode(valid), Encode(test));
AnsiConsole.MarkupLine($"{all.Count:N0} sentences: train {train.Count}, validation {valid.Count}, test {test.Count}; vocabulary {vocabulary.Count:N0} words (lowercased, + pad + unk).");

torch.manual_seed(7);
var config = new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru, vocabulary.Count, embedding, hidden,
    NumLayers: 1, Bidirectional: true, Dropout: 0.4, NumClasses: labels.Count);
using var model = new RnnSequenceModel(config);
var options = new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = 32,
    LearningRate = 2e-3,
    WeightDecay = 1e-5,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = 4,
    Seed = 7,
};
var result = SampleConsole.Train("sentiment BiGRU", (progress, ct) => new ClassifierTrainer(options).Train(model, trainSet, validSet, progress, ct));
SampleConsole.PrintHistory(result, "nats/sentence");
string modelsDir = SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, "Sentiment BiGRU", "nats/sentence", Path.Combine(modelsDir, name + ".loss.png"));

var testResult = RnnEvaluator.Evaluate(model, testSet);
AnsiConsole.MarkupLine($"Test accuracy: [bold]{testResult.Accuracy:P1}[/] on {testResult.Count} sentences.");
var baseline = new Dictionary<string, double> { ["amazon"] = 0.726, ["imdb"] = 0.765, ["yelp"] = 0.696 };
var table = new Table().AddColumns("source", "test sentences", "BiGRU accuracy", "AFINN lexicon baseline (whole source)");
foreach (var source in SentimentSentences.Sources)
{
    var part = Encode(test.Where(x => x.Source == source));
    var r = RnnEvaluator.Evaluate(model, part);
    table.AddRow(source, part.Count.ToString(), r.Accuracy.ToString("P1"), baseline[source].ToString("P1"));
}
AnsiConsole.Write(table);

var perSource = SentimentSentences.Sources.ToDictionary(s => s, s => RnnEvaluator.Evaluate(model, Encode(test.Where(x => x.Source == s))).Accuracy);
ModelCard.Publish(modelsDir, name, model,
    OnnxExportOptions.For(vocabulary, labels, new Dictionary<string, double> { ["test_accuracy"] = testResult.Accuracy, ["val_accuracy"] = result.Best.ValidationAccuracy ?? double.NaN }),
    testSet.Take(32).Select(e => e.Ids.Select(x => (long)x).ToArray()).ToList(),
    "Sentence sentiment, bidirectional GRU (Amazon, IMDb, Yelp)",
    "Binary sentiment (negative/positive) of short English review sentences. Score raw text in ML.NET with the model's own vocabulary (`ScoreRnnText`), or token ids with `ScoreRnn`.",
    $"UCI Sentiment Labelled Sentences (Kotzias et al. 2015, CC BY 4.0; npm `sentiment@5.0.2`): 3 000 sentences, 1 000 per site, balanced. Seeded split stratified by site and label: {train.Count} train / {valid.Count} validation / {test.Count} test. Word-level vocabulary from the training part, lowercased: {vocabulary.Count:N0} ids.",
    result,
    [
        ("test accuracy (all)", testResult.Accuracy.ToString("P1"), "AFINN lexicon ≈ 72.9 % (mean of the three sites)"),
        ("test accuracy amazon", perSource["amazon"].ToString("P1"), "72.6 %"),
        ("test accuracy imdb", perSource["imdb"].ToString("P1"), "76.5 %"),
        ("test accuracy yelp", perSource["yelp"].ToString("P1"), "69.6 %"),
    ],
    $"dotnet run -c Release --project samples/SentimentClassifier -- --epochs {epochs} --hidden {hidden} --embedding {embedding}");
