using MlNetRnn.Tests;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Microsoft.ML;
using MlNetRnn.Transforms.Tests;
using Xunit;

namespace MlNetRnn.Training.Tests.MlNet;

/// <summary>
/// Packs MlNetRnn.Transforms and MlNetRnn.Training into a local folder, checks the Training package, then builds and runs a
/// fresh console project that references only the Training package from that folder: it trains a classifier and a tagger
/// with <c>Fit</c> on text files, evaluates, saves, reloads and scores. Restores from the local folder and the machine's
/// package cache only (the feed list holds just the local folder), so the test needs no network.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class TrainingPackageTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-trainpack-").FullName;
    private readonly string version = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in new[] { "mlnetrnn.transforms", "mlnetrnn.training" })
        {
            string cached = Path.Combine(cache, id, version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
        }
    }

    [Fact]
    public void Pack_ProducesAPackageWithTheTorchSharpFix_ThatAFreshConsoleProjectTrainsWith()
    {
        string feed = Path.Combine(directory, "feed");
        using (PackLock.Acquire())
        {
            foreach (string name in new[] { "MlNetRnn.Transforms", "MlNetRnn.Training" })
                LocalPackageApp.RunDotnet(directory, "pack", Path.Combine(LocalPackageApp.RepositoryRoot(), "src", name, name + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}", "--nologo");
        }

        using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"MlNetRnn.Training.{version}.nupkg")))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains("lib/net10.0/MlNetRnn.Training.xml", entries);
            foreach (string folder in new[] { "build", "buildTransitive" })
            {
                Assert.Contains($"{folder}/MlNetRnn.Training.targets", entries);
                Assert.Contains($"{folder}/TorchSharpGlibcxx.targets", entries);
            }

            using var nuspec = zip.GetEntry("MlNetRnn.Training.nuspec")!.Open();
            var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
            Assert.Equal(["Google.Protobuf", "Microsoft.ML", "Microsoft.ML.OnnxRuntime", "MlNetRnn.Transforms", "TorchSharp-cpu"], dependencies.Order(StringComparer.Ordinal));
        }

        string app = Path.Combine(directory, "app");
        Directory.CreateDirectory(app);
        WriteApp(app, feed);
        var ml = new MLContext(seed: 1);
        WriteTsv(Path.Combine(app, "reviews.tsv"), "Label\tText", FitData.SentimentRows(200, seed: 1).Select(r => $"{r.Label}\t{r.Text}"));
        WriteTsv(Path.Combine(app, "tagged.tsv"), "Text\tTags", ml.Data.CreateEnumerable<FitData.TaggedRow>(FitData.Tagged(ml, 200, seed: 1), reuseRowObject: false).Select(r => $"{r.Text}\t{r.Tags}"));

        string build = LocalPackageApp.RunDotnet(app, "build", "-c", "Release", "--nologo");
        string output = LocalPackageApp.RunDotnet(app, "run", "-c", "Release", "--no-build");

        string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains("TorchSharp", assets, StringComparison.Ordinal);
        if (!SystemLibStdCxxHas("GLIBCXX_3.4.32"))
            Assert.Contains("MlNetRnn: marked the GLIBCXX_3.4.32 need weak", build, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        Assert.True(double.Parse(lines["classifier-accuracy"], CultureInfo.InvariantCulture) >= 0.9, output);
        Assert.True(double.Parse(lines["tagger-accuracy"], CultureInfo.InvariantCulture) >= 0.9, output);
        Assert.Equal("True", lines["classifier-reloaded-identical"]);
        Assert.Equal("True", lines["tagger-reloaded-identical"]);
        Assert.Equal("8", lines["classifier-epochs"]);
    }

    private void WriteApp(string app, string feed)
    {
        LocalPackageApp.WriteProject(app, feed, "MlNetRnn.Training", version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using Microsoft.ML;
            using Microsoft.ML.Data;
            using MlNetRnn.Training;
            using MlNetRnn.Training.Data;
            using MlNetRnn.Training.Models;
            using MlNetRnn.Transforms;

            var ml = new MLContext(seed: 1);

            var reviews = ml.Data.LoadFromTextFile<Review>("reviews.tsv", hasHeader: true);
            var classifier = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(new RnnSequenceClassifierOptions
                {
                    Cell = RnnCellType.Gru, EmbeddingDim = 8, HiddenSize = 12, Epochs = 8, BatchSize = 16, LearningRate = 0.02,
                }))
                .Fit(reviews);
            var metrics = ml.MulticlassClassification.Evaluate(classifier.Transform(reviews));
            Console.WriteLine($"classifier-accuracy {metrics.MicroAccuracy.ToString(CultureInfo.InvariantCulture)}");
            Console.WriteLine($"classifier-epochs {classifier.LastTransformer.TrainingResult.History.Count}");
            Console.WriteLine($"classifier-reloaded-identical {Reloaded(classifier, reviews, "classifier.zip", v => v.GetColumn<float[]>("Score"))}");
            classifier.LastTransformer.Dispose();

            var tagged = ml.Data.LoadFromTextFile<Tagged>("tagged.tsv", hasHeader: true, separatorChar: '\t');
            var tagger = ml.Transforms.Text.TokenizeIntoWords("TagWords", "Tags", [' '])
                .Append(ml.Transforms.Conversion.MapValueToKey("Label", "TagWords"))
                .Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(new RnnTokenClassifierOptions
                {
                    Cell = RnnCellType.Gru, EmbeddingDim = 8, HiddenSize = 12, Epochs = 8, BatchSize = 16, LearningRate = 0.03,
                    Tokenization = new TokenizationSettings(TokenizationLevel.Word, lowercase: false, pattern: @"\S+"),
                }))
                .Fit(tagged);
            var scored = tagger.Transform(tagged);
            var predicted = scored.GetColumn<uint[]>("PredictedLabel").SelectMany(p => p).ToArray();
            var actual = scored.GetColumn<uint[]>("Label").SelectMany(p => p).ToArray();
            double accuracy = predicted.Zip(actual).Count(p => p.First == p.Second) / (double)actual.Length;
            Console.WriteLine($"tagger-accuracy {accuracy.ToString(CultureInfo.InvariantCulture)}");
            Console.WriteLine($"tagger-reloaded-identical {Reloaded(tagger, tagged, "tagger.zip", v => v.GetColumn<float[]>("Score"))}");
            tagger.LastTransformer.Dispose();

            bool Reloaded(ITransformer model, IDataView data, string path, Func<IDataView, IEnumerable<float[]>> scores)
            {
                ml.Model.Save(model, data.Schema, path);
                using var loaded = ml.Model.LoadWithRnnFastPath(path, out _);
                var before = scores(model.Transform(data)).ToArray();
                var after = scores(loaded.Transform(data)).ToArray();
                return before.Length == after.Length && before.Zip(after).All(p => p.First.SequenceEqual(p.Second));
            }

            sealed class Review
            {
                [LoadColumn(0)] public string Label { get; set; } = "";
                [LoadColumn(1)] public string Text { get; set; } = "";
            }

            sealed class Tagged
            {
                [LoadColumn(0)] public string Text { get; set; } = "";
                [LoadColumn(1)] public string Tags { get; set; } = "";
            }
            """);
    }

    private static void WriteTsv(string path, string header, IEnumerable<string> lines) =>
        File.WriteAllLines(path, [header, .. lines], new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static bool SystemLibStdCxxHas(string version)
    {
        string? library = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        return library is null || File.ReadAllBytes(library).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }
}
