// What single hidden units track: ranks every unit by how well it follows a per-character property (inside quotes,
// inside parentheses, position in the line, …), prints the table and draws the best units as an HTML page and a PNG.
// For now the activations come from a synthetic example with planted units (so the output is known); the real models'
// states come in through the same UnitTrack type.
// Usage: dotnet run -c Release --project samples/HiddenUnits -- [--out out/hidden-units] [--seed 1]
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Transforms.Interpretability;

string outDir = Option("out", "out/hidden-units");
int seed = int.Parse(Option("seed", "1"), CultureInfo.InvariantCulture);
Directory.CreateDirectory(outDir);

var (text, tracks) = PlantedExample(seed);
Console.WriteLine($"Synthetic text: {text.Length:N0} characters; tracks: {string.Join(", ", tracks.Select(t => $"{t.Name} ({t.Units} units)"))}.");
Console.WriteLine("Planted: layer 1 h unit 3 = inside double quotes, layer 1 h unit 11 = position in line, layer 2 h unit 7 = low inside parentheses; every other unit is noise.");
Console.WriteLine();

var result = UnitSearch.Run(text, tracks, CharProperty.Prose, top: 3);
Console.Write(result.ToText());
File.WriteAllText(Path.Combine(outDir, "units.md"), result.ToMarkdown());

var passage = 0..640;
var blocks = ActivationHtml.Blocks(text, tracks, result, passage);
const string title = "Synthetic planted units: the best unit per property";
string html = Path.Combine(outDir, "units.html"), png = Path.Combine(outDir, "units.png");
File.WriteAllText(html, ActivationHtml.Render(text[passage], blocks, title));
ActivationPng.Save(text[passage], blocks, title, png);
Console.WriteLine();
Console.WriteLine($"Table: {Path.Combine(outDir, "units.md")}");
Console.WriteLine($"Page:  {html}");
Console.WriteLine($"PNG:   {png}");

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
