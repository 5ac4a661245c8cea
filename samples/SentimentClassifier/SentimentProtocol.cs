using System.Globalization;
using Microsoft.ML;
using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Datasets;
using Spectre.Console;

/// <summary>
/// <c>--protocol</c>: the sentiment measurement of issue 9. Duplicate texts are removed before splitting (so a sentence can't
/// be on both sides of a split), then for each of several seeds: a stratified 80/10/10 split, the BiGRU trained with
/// <c>Fit</c>, and its accuracy and the AFINN lexicon's on the same test rows, per site. Reports mean ± sample standard
/// deviation (and min–max) over the seeds.
/// </summary>
internal static class SentimentProtocol
{
    /// <summary>Seeded 80/10/10 split, stratified by source and label so every part has all three sites in balance.</summary>
    public static (List<LabeledText> Train, List<LabeledText> Valid, List<LabeledText> Test) Split(IReadOnlyList<LabeledText> all, int seed)
    {
        var random = new Random(seed);
        var (train, valid, test) = (new List<LabeledText>(), new List<LabeledText>(), new List<LabeledText>());
        foreach (var group in all.GroupBy(x => (x.Source, x.Label)))
        {
            var items = group.OrderBy(_ => random.Next()).ToList();
            int nTest = items.Count / 10, nValid = items.Count / 10;
            test.AddRange(items.Take(nTest));
            valid.AddRange(items.Skip(nTest).Take(nValid));
            train.AddRange(items.Skip(nTest + nValid));
        }

        return (train, valid, test);
    }

    /// <summary>
    /// One row per distinct text (trimmed, compared case-insensitively, across all sites): the first occurrence is kept;
    /// a text that occurs with both labels is dropped entirely.
    /// </summary>
    public static List<LabeledText> Deduplicate(IReadOnlyList<LabeledText> all, out int duplicates, out int conflicting)
    {
        var groups = all.GroupBy(x => x.Text.Trim(), StringComparer.OrdinalIgnoreCase).ToList();
        conflicting = groups.Count(g => g.Select(x => x.Label).Distinct().Count() > 1);
        duplicates = all.Count - groups.Count;
        return groups.Where(g => g.Select(x => x.Label).Distinct().Count() == 1).Select(g => g.First()).ToList();
    }

    /// <summary>Runs the protocol and prints its table; returns the mean ± sd per site (model, AFINN), or null when Ctrl+C stopped it.</summary>
    public static List<(string Site, string Model, string Afinn)>? Run(IReadOnlyList<LabeledText> all, LexiconSentimentClassifier afinn, int seeds, SentimentSettings settings)
    {
        var distinct = Deduplicate(all, out int duplicates, out int conflicting);
        AnsiConsole.MarkupLine($"{all.Count:N0} sentences, {duplicates} repeats of an earlier text removed, {conflicting} texts with both labels dropped: {distinct.Count:N0} left "
            + $"({string.Join(", ", SentimentSentences.Sources.Select(s => $"{s} {distinct.Count(x => x.Source == s)}"))}).");

        var model = SentimentSentences.Sources.Append("all").ToDictionary(s => s, _ => new List<double>());
        var lexicon = SentimentSentences.Sources.Append("all").ToDictionary(s => s, _ => new List<double>());
        for (int seed = 1; seed <= seeds; seed++)
        {
            var (train, valid, test) = Split(distinct, seed);
            var ml = new MLContext(seed: seed);
            var (trained, _) = SentimentFit.Train(ml, train, valid, settings, seed);
            if (trained is null)
                return null;
            using (trained.LastTransformer)
            {
                var scored = trained.Transform(SentimentFit.View(ml, test));
                var perSource = SentimentFit.AccuracyPerSource(scored);
                foreach (var source in SentimentSentences.Sources)
                {
                    model[source].Add(perSource[source]);
                    lexicon[source].Add(test.Where(x => x.Source == source).Average(x => afinn.Predict(x.Text) == x.Label ? 1.0 : 0.0));
                }

                model["all"].Add(ml.MulticlassClassification.Evaluate(scored).MicroAccuracy);
                lexicon["all"].Add(test.Average(x => afinn.Predict(x.Text) == x.Label ? 1.0 : 0.0));
            }

            string sites = string.Join(", ", SentimentSentences.Sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {model[s][^1]:P1} / {lexicon[s][^1]:P1}")));
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed}: train {train.Count} / validation {valid.Count} / test {test.Count}; {settings.ModelName} {model["all"][^1]:P1}, AFINN {lexicon["all"][^1]:P1} on the same test rows ({sites})."));
        }

        var table = new Table().AddColumns("site", $"{settings.ModelName} (Fit), {seeds} seeds: mean ± sd (min–max)", "AFINN, same test rows: mean ± sd (min–max)", "seeds where model > AFINN");
        foreach (var source in model.Keys)
            table.AddRow(source, Summary(model[source]), Summary(lexicon[source]), $"{model[source].Zip(lexicon[source]).Count(p => p.First > p.Second)}/{seeds}");
        AnsiConsole.Write(table);
        return model.Keys.Select(s => (s, Summary(model[s]), Summary(lexicon[s]))).ToList();
    }

    private static string Summary(List<double> values)
    {
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{mean:P1} ± {sd * 100:F1} ({values.Min():P1}–{values.Max():P1})");
    }
}
