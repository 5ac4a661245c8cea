// Sentence sentiment (UCI Sentiment Labelled Sentences: Amazon, IMDb, Yelp): word-level vocabulary, bidirectional GRU,
// classification from the final hidden state (many-to-one), compared with the AFINN lexicon baseline on the same test split.
// Usage: dotnet run -c Release --project samples/SentimentClassifier -- [--epochs 15] [--hidden 64] [--baselines-only] [--export-on-cancel] [--fit]
// --fit trains the same model inside ML.NET (RnnSequenceClassifier + Fit + Evaluate; see SentimentFit.cs).
// --protocol [--seeds 5]: duplicates removed, then per seed a split, a Fit-trained model and AFINN on the same test rows; mean ± sd per site (SentimentProtocol.cs).
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
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
torch.set_num_threads(Environment.ProcessorCount);

// Seeded 80/10/10 split, stratified by source and label so every part has all three sites in balance.
var all = SampleConsole.LoadData(SentimentSentences.Load);
if (SampleConsole.Flag(args, "protocol"))
{
    SentimentProtocol.Run(all, AfinnLexicon.Load(), SampleConsole.Option(args, "seeds", 5), epochs, hidden, embedding);
    return;
}
var (train, valid, test) = SentimentProtocol.Split(all, seed: 2024);

var vocabulary = Vocabulary.BuildWordLevel(train.Select(x => x.Text), minCount: 1, lowercase: true);
var labels = LabelSet.FromNames(SentimentSentences.Labels);
List<SequenceExample> Encode(IEnumerable<LabeledText> items) => items.Select(x => new SequenceExample(vocabulary.Encode(x.Text), x.Label)).ToList();
var (trainSet, validSet, testSet) = (Encode(train), Encode(valid), Encode(test));
AnsiConsole.MarkupLine($"{all.Count:N0} sentences: train {train.Count}, validation {valid.Count}, test {test.Count}; vocabulary {vocabulary.Count:N0} words (lowercased, + pad + unk).");

// Baseline: the AFINN-165 word list scored as the sentiment package scores it, on the same test split as the model.
var afinn = AfinnLexicon.Load();
double AfinnAccuracy(IEnumerable<LabeledText> items) => items.Average(x => afinn.Predict(x.Text) == x.Label ? 1.0 : 0.0);
var afinnTest = SentimentSentences.Sources.ToDictionary(s => s, s => AfinnAccuracy(test.Where(x => x.Source == s)));
double afinnTestAll = AfinnAccuracy(test);
var baselineTable = new Table().AddColumns("source", "test sentences", "AFINN on the test split", "AFINN on the whole source");
foreach (var source in SentimentSentences.Sources)
    baselineTable.AddRow(source, test.Count(x => x.Source == source).ToString(), afinnTest[source].ToString("P1"), AfinnAccuracy(all.Where(x => x.Source == source)).ToString("P1"));
baselineTable.AddRow("all", test.Count.ToString(), afinnTestAll.ToString("P1"), AfinnAccuracy(all).ToString("P1"));
AnsiConsole.MarkupLine("AFINN-165 lexicon baseline (sum of word scores, negated after a negator; a score of 0 counts as positive):");
AnsiConsole.Write(baselineTable);
if (baselinesOnly)
    return;
if (SampleConsole.Flag(args, "fit"))
{
    SentimentFit.Run(train, valid, test, epochs, hidden, embedding, afinnTest);
    return;
}

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
var result = SampleConsole.Train("sentiment BiGRU", options, "nats/sentence", exportOnCancel,
    (progress, ct) => new ClassifierTrainer(options).Train(model, trainSet, validSet, progress, ct));
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/sentence");
string modelsDir = SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, "Sentiment BiGRU", "nats/sentence", Path.Combine(modelsDir, name + ".loss.png"));

var testResult = RnnEvaluator.Evaluate(model, testSet);
AnsiConsole.MarkupLine($"Test accuracy: [bold]{testResult.Accuracy:P1}[/] on {testResult.Count} sentences.");
var perSource = SentimentSentences.Sources.ToDictionary(s => s, s => RnnEvaluator.Evaluate(model, Encode(test.Where(x => x.Source == s))).Accuracy);
var table = new Table().AddColumns("source", "test sentences", "BiGRU accuracy", "AFINN lexicon (same sentences)");
foreach (var source in SentimentSentences.Sources)
    table.AddRow(source, test.Count(x => x.Source == source).ToString(), perSource[source].ToString("P1"), afinnTest[source].ToString("P1"));
AnsiConsole.Write(table);

ModelCard.Publish(modelsDir, name, model,
    OnnxExportOptions.For(vocabulary, labels, new Dictionary<string, double> { ["test_accuracy"] = testResult.Accuracy, ["val_accuracy"] = result.Best.ValidationAccuracy ?? double.NaN }),
    testSet.Take(32).Select(e => e.Ids).ToList(),
    "Sentence sentiment, bidirectional GRU (Amazon, IMDb, Yelp)",
    "Binary sentiment (negative/positive) of short English review sentences. Score raw text in ML.NET with the model's own vocabulary (`ScoreRnnText`), or token ids with `ScoreRnn`.",
    $"UCI Sentiment Labelled Sentences (Kotzias et al. 2015, CC BY 4.0; npm `sentiment@5.0.2`): 3 000 sentences, 1 000 per site, balanced. Seeded split stratified by site and label: {train.Count} train / {valid.Count} validation / {test.Count} test. Word-level vocabulary from the training part, lowercased: {vocabulary.Count:N0} ids.",
    result,
    [
        ("test accuracy (all)", testResult.Accuracy.ToString("P1"), $"AFINN lexicon {afinnTestAll:P1} (same test sentences)"),
        ("test accuracy amazon", perSource["amazon"].ToString("P1"), afinnTest["amazon"].ToString("P1")),
        ("test accuracy imdb", perSource["imdb"].ToString("P1"), afinnTest["imdb"].ToString("P1")),
        ("test accuracy yelp", perSource["yelp"].ToString("P1"), afinnTest["yelp"].ToString("P1")),
    ],
    "Baseline: the AFINN-165 word list (Nielsen 2011, \"A new ANEW: Evaluation of a word list for sentiment analysis in microblogs\"; 2015 version) "
    + "with the emoji scores and negators of npm `sentiment@5.0.2`, scored as that package scores (sum of the word scores, a word's score negated "
    + "after a negator such as \"not\"; a score of 0, including no listed word, counts as positive, as in the package's own validation script), "
    + "on the same test sentences as the model. Reproduce: `dotnet run -c Release --project samples/SentimentClassifier -- --baselines-only`.",
    $"dotnet run -c Release --project samples/SentimentClassifier -- --epochs {epochs} --hidden {hidden} --embedding {embedding}");
