// What single hidden units track: ranks every unit by how well it follows a per-character property (inside quotes,
// inside parentheses, position in the line, inside a comment or string, …), prints the table and draws the best units as
// an HTML page and a PNG. Two modes:
//  - synthetic (default): a made-up example with planted units, so the output is known;
//  - real (--model): a character language model exported by samples/CharLanguageModel with layer states, read with ONNX
//    Runtime only (RnnStateReader). Units are ranked on the corpus's validation part and their scores reported on its
//    test part (the same split as the training sample, samples/Shared/CharCorpus.cs), so the selection never sees the
//    text it is judged on. With --text-file, the file's first half plays validation and its second half test.
// Usage: dotnet run -c Release --project samples/HiddenUnits -- [--out out/hidden-units] [--seed 1]
//        dotnet run -c Release --project samples/HiddenUnits -- --model models/moby-char-lstm.onnx [--corpus moby|code]
//          [--chars 0] [--text-file F] [--held-out-chars 20000] [--top 3] [--out out/hidden-units]
using System.Globalization;
using System.Text;
using MlNetRnn.Samples;
using MlNetRnn.Transforms.Interpretability;

string outDir = Option("out", "out/hidden-units");
Directory.CreateDirectory(outDir);
string? modelPath = args.Contains("--model") ? Option("model", "") : null;
if (modelPath is not null)
    return RealModel(modelPath);

int seed = int.Parse(Option("seed", "1"), CultureInfo.InvariantCulture);
var (text, tracks) = PlantedExample(seed);
Console.WriteLine($"Synthetic text: {text.Length:N0} characters; tracks: {string.Join(", ", tracks.Select(t => $"{t.Name} ({t.Units} units)"))}.");
Console.WriteLine("Planted: layer 1 h unit 3 = inside double quotes, layer 1 h unit 11 = position in line, layer 2 h unit 7 = low inside parentheses; every other unit is noise.");
Console.WriteLine();

var result = UnitSearch.Run(text, tracks, CharProperty.Prose, top: 3);
Console.Write(result.ToText());
File.WriteAllText(Path.Combine(outDir, "units.md"), result.ToMarkdown());
WritePictures(text, ActivationHtml.Blocks(text, tracks, result, 0..640), "Synthetic planted units: the best unit per property", 0..640);
return 0;

int RealModel(string path)
{
    string corpus = Option("corpus", "moby");
    if (!CharCorpus.Names.Contains(corpus))
    {
        Console.Error.WriteLine($"--corpus: expected one of {string.Join(", ", CharCorpus.Names)}, got '{corpus}'.");
        return 1;
    }
    int chars = int.Parse(Option("chars", "0"), CultureInfo.InvariantCulture);
    int heldOutChars = int.Parse(Option("held-out-chars", "20000"), CultureInfo.InvariantCulture);
    int top = int.Parse(Option("top", "3"), CultureInfo.InvariantCulture);
    string? textFile = args.Contains("--text-file") ? Option("text-file", "") : null;
    IReadOnlyList<CharProperty> properties = corpus == "code" ? CharProperty.Code : CharProperty.Prose;

    string validation, test, source;
    if (textFile is not null)
    {
        string all = File.ReadAllText(textFile).Replace("\r\n", "\n", StringComparison.Ordinal);
        (validation, test, source) = (all[..(all.Length / 2)], all[(all.Length / 2)..], $"{textFile}: first half for ranking, second half for reporting");
    }
    else
    {
        string corpusText;
        try
        {
            corpusText = CharCorpus.Truncate(CharCorpus.Loader(corpus)(), chars);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            Console.Error.WriteLine($"Could not load the data set: {e.Message}");
            return 1;
        }
        (_, validation, test) = CharCorpus.Split(corpusText);
        source = $"corpus {corpus}{(chars > 0 ? $" (first {chars:N0} characters)" : "")} split as in CharLanguageModel; its validation part for ranking, its test part for reporting";
    }
    if (heldOutChars > 0)
        (validation, test) = (CharCorpus.Truncate(validation, heldOutChars), CharCorpus.Truncate(test, heldOutChars));

    var constant = properties.Where(p => Constant(p, validation) || Constant(p, test)).ToList();
    foreach (var property in constant)
        Console.WriteLine($"Skipped '{property.Name}': constant over the validation or the test text, so it cannot rank units.");
    properties = [.. properties.Except(constant)];
    if (properties.Count == 0)
    {
        Console.Error.WriteLine("No property varies over this text; nothing to rank.");
        return 1;
    }

    IReadOnlyList<UnitTrack> validationTracks, testTracks;
    try
    {
        using var reader = new RnnStateReader(path);
        (validationTracks, testTracks) = (reader.Read(validation), reader.Read(test));
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"{path}: {e.Message}");
        return 1;
    }
    Console.WriteLine($"Model {path}: {string.Join(", ", validationTracks.Select(t => $"{t.Name} ({t.Units} units)"))}.");
    Console.WriteLine($"Text: {source}; {validation.Length:N0} characters ranked, {test.Length:N0} reported{(heldOutChars > 0 ? $" (at most {heldOutChars:N0} of each, --held-out-chars)" : "")}.");
    Console.WriteLine();

    UnitSearchResult ranked, onTest;
    try
    {
        ranked = UnitSearch.Run(validation, validationTracks, properties, top);
        onTest = UnitSearch.Run(test, testTracks, properties, validationTracks.Sum(t => t.Units));
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"Cannot rank units on this text: {e.Message}");
        return 1;
    }

    // Each unit chosen on validation, with its score on test.
    var table = new StringBuilder("| property | rank | track | unit | validation (ranked on) | test (reported) | direction on test |\n|---|---:|---|---:|---:|---:|---|\n");
    var captions = new List<string>();
    for (int p = 0; p < properties.Count; p++)
    {
        var property = properties[p];
        var onTestByUnit = onTest.Rankings[p].Top.ToDictionary(s => (s.Track, s.Unit));
        for (int rank = 0; rank < ranked.Rankings[p].Top.Count; rank++)
        {
            var unit = ranked.Rankings[p].Top[rank];
            var testScore = onTestByUnit[(unit.Track, unit.Unit)];
            string validationText = Score(property, unit), testText = Score(property, testScore);
            table.Append(CultureInfo.InvariantCulture, $"| {property.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {rank + 1} | {unit.Track} | {unit.Unit} | {validationText} | {testText} | {Direction(property, testScore)} |\n");
            if (rank == 0)
                captions.Add($"{property.Name}: {unit.Track}, unit {unit.Unit}; validation {validationText}, test {testText}; {Direction(property, testScore)}");
        }
    }
    table.Append(CultureInfo.InvariantCulture, $"\nUnits ranked on {validation.Length:N0} validation characters; scores reported on {test.Length:N0} test characters the ranking never saw. Binary properties: AUC (0.5 = chance; below 0.5 = lower where it holds); numeric properties: Pearson r.\n");
    Console.Write(table);
    File.WriteAllText(Path.Combine(outDir, "units.md"), table.ToString());

    var passage = PassageWhereTheyChange(test, properties, 640);
    var blocks = ActivationHtml.Blocks(test, testTracks, ranked, passage).Select((b, i) => b with { Caption = captions[i] }).ToList();
    WritePictures(test, blocks, $"{Path.GetFileNameWithoutExtension(path)}: the best unit per property (ranked on validation), on test text", passage);
    return 0;
}

// The passage shown: the window of about `length` characters, starting at a line start, in which the most binary
// properties both hold and fail somewhere, then in which they change value most often (a window where a property is
// constant shows nothing of it); ties go to the earliest window.
static Range PassageWhereTheyChange(string text, IReadOnlyList<CharProperty> properties, int length)
{
    var binary = properties.Where(p => p.Kind == CharPropertyKind.Binary).Select(p => p.Holds(text)).ToList();
    var holds = binary.Select(_ => new int[text.Length + 1]).ToList();   // prefix counts of positions where each holds
    var changes = new int[text.Length + 1];                               // prefix count of flips of any of them
    for (int i = 0; i < text.Length; i++)
    {
        for (int p = 0; p < binary.Count; p++)
            holds[p][i + 1] = holds[p][i] + (binary[p][i] ? 1 : 0);
        changes[i + 1] = changes[i] + (i == 0 ? 0 : binary.Count(b => b[i] != b[i - 1]));
    }
    int bestFrom = 0;
    (int Varying, int Changes) best = (-1, -1);
    for (int from = 0; from < text.Length; from = text.IndexOf('\n', from) is int n and >= 0 ? n + 1 : text.Length)
    {
        int to = Math.Min(from + length, text.Length);
        int varying = holds.Count(h => h[to] - h[from] is var count && count > 0 && count < to - from);
        if ((varying, changes[to] - changes[from]).CompareTo(best) > 0)
            (bestFrom, best) = (from, (varying, changes[to] - changes[from]));
    }
    return bestFrom..Math.Min(bestFrom + length, text.Length);
}

static bool Constant(CharProperty property, string text)
{
    double[] values = property.Evaluate(text);
    return values.All(v => v == values[0]);
}

static string Score(CharProperty property, UnitScore unit) => property.Kind == CharPropertyKind.Binary
    ? string.Create(CultureInfo.InvariantCulture, $"AUC {unit.Metric:F3}")
    : string.Create(CultureInfo.InvariantCulture, $"r {unit.Metric:+0.000;-0.000;0.000}");

static string Direction(CharProperty property, UnitScore unit) => (property.Kind == CharPropertyKind.Binary, unit.Direction) switch
{
    (true, UnitDirection.Higher) => "higher where it holds",
    (true, _) => "lower where it holds",
    (false, UnitDirection.Higher) => "rises with it",
    _ => "falls as it rises",
};

void WritePictures(string text, IReadOnlyList<ActivationBlock> blocks, string title, Range passage)
{
    string html = Path.Combine(outDir, "units.html"), png = Path.Combine(outDir, "units.png");
    File.WriteAllText(html, ActivationHtml.Render(text[passage], blocks, title));
    ActivationPng.Save(text[passage], blocks, title, png);
    Console.WriteLine();
    Console.WriteLine($"Table: {Path.Combine(outDir, "units.md")}");
    Console.WriteLine($"Page:  {html}");
    Console.WriteLine($"PNG:   {png}");
}

string Option(string name, string defaultValue)
{
    int i = Array.IndexOf(args, "--" + name);
    if (i < 0)
        return defaultValue;
    return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"--{name}: expected a value after it, got nothing.");
}

// Prose-like text (words, "dialogue", (asides), lines wrapped near 70 columns) and two layers of tanh units: slowly
// drifting noise, plus three planted units that follow a property with noise on top.
static (string Text, UnitTrack[] Tracks) PlantedExample(int seed)
{
    string[] words = ["the", "whale", "sea", "ship", "captain", "said", "and", "of", "a", "to", "in", "white", "old", "man", "boat", "water", "all", "was", "his", "long", "day"];
    var random = new Random(seed);
    var builder = new System.Text.StringBuilder();
    int column = 0;
    bool inQuote = false, inParens = false;
    while (builder.Length < 30_000)
    {
        string word = words[random.Next(words.Length)];
        if (!inQuote && random.NextDouble() < 0.05)
            (word, inQuote) = ("\"" + word, true);
        else if (inQuote && random.NextDouble() < 0.12)
            (word, inQuote) = (word + "\"", false);
        else if (!inParens && !inQuote && random.NextDouble() < 0.08)
            (word, inParens) = ("(" + word, true);
        else if (inParens && random.NextDouble() < 0.2)
            (word, inParens) = (word + ")", false);
        if (column + word.Length > 70)
        {
            builder.Append('\n');
            column = 0;
        }
        else if (column > 0)
        {
            builder.Append(' ');
            column++;
        }
        builder.Append(word);
        column += word.Length;
    }
    string text = builder.ToString();
    bool[] quotes = CharProperty.InsideDoubleQuotes.Holds(text), parens = CharProperty.InsideParentheses.Holds(text);
    double[] columns = CharProperty.PositionInLine.Evaluate(text);

    var layer1 = new UnitTrack("layer 1 h", 64, new float[text.Length * 64]);
    var layer2 = new UnitTrack("layer 2 h", 32, new float[text.Length * 32]);
    foreach (var track in new[] { layer1, layer2 })
    {
        var drift = new double[track.Units];
        for (int p = 0; p < text.Length; p++)
        {
            for (int u = 0; u < track.Units; u++)
            {
                drift[u] = 0.9 * drift[u] + 0.4 * (random.NextDouble() * 2 - 1);
                double noise = 0.35 * (random.NextDouble() * 2 - 1);
                double value = (track == layer1, u) switch
                {
                    (true, 3) => (quotes[p] ? 0.7 : -0.6) + 2 * noise,
                    (true, 11) => columns[p] / 25 - 1.4 + noise,
                    (false, 7) => (parens[p] ? -0.8 : 0.3) + 2 * noise,
                    _ => 1.5 * drift[u],
                };
                track.Values[p * track.Units + u] = (float)Math.Tanh(value);
            }
        }
    }
    return (text, [layer1, layer2]);
}
