using MlNetRnn.Tests;
using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.ML;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// Packs MlNetRnn.Transforms, checks the package, then builds and runs a fresh console project that references it from a
/// local folder and scores a model. Restores from the machine's package cache only (the feed list holds just the local folder).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class PackageTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-pack-").FullName;
    private readonly string version = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(cache, "mlnetrnn.transforms", version);
        if (Directory.Exists(cached))
            Directory.Delete(cached, recursive: true);
    }

    [Fact]
    public void Pack_ProducesAPackageWithReadmeAndDocsWithoutTorchSharp_ThatAFreshConsoleProjectCanUse()
    {
        string feed = Path.Combine(directory, "feed");
        string project = Path.Combine(LocalPackageApp.RepositoryRoot(), "src", "MlNetRnn.Transforms", "MlNetRnn.Transforms.csproj");
        using (PackLock.Acquire())
            LocalPackageApp.RunDotnet(directory, "pack", project, "-c", "Release", "-o", feed, $"-p:Version={version}", "--nologo");

        string package = Path.Combine(feed, $"MlNetRnn.Transforms.{version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains("lib/net10.0/MlNetRnn.Transforms.dll", entries);
            Assert.Contains("lib/net10.0/MlNetRnn.Transforms.xml", entries);
            using var nuspec = zip.GetEntry("MlNetRnn.Transforms.nuspec")!.Open();
            var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
            Assert.Equal(["Microsoft.ML", "Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxTransformer", "System.IO.Hashing"], dependencies.Order());
        }

        string app = Path.Combine(directory, "app");
        Directory.CreateDirectory(app);
        LocalPackageApp.WriteProject(app, feed, "MlNetRnn.Transforms", version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using Microsoft.ML;
            using Microsoft.ML.Data;
            using MlNetRnn.Transforms;

            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(new[] { new Row { Tokens = [3, 4, 5] }, new Row { Tokens = [6] } });
            using var scorer = ml.Transforms.ScoreRnn(args[0]).Fit(data);
            foreach (var row in ml.Data.CreateEnumerable<Scored>(scorer.Transform(data), reuseRowObject: false))
                Console.WriteLine(string.Join(" ", row.Score.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

            sealed class Row { [VectorType] public long[] Tokens { get; set; } = []; }
            sealed class Scored { public float[] Score { get; set; } = []; }
            """);
        byte[] model = File.ReadAllBytes(ShippedModel("sentiment-bigru.onnx"));
        string modelPath = Path.Combine(directory, "model.onnx");
        File.WriteAllBytes(modelPath, model);

        string output = LocalPackageApp.RunDotnet(app, "run", "--", modelPath);
        string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.DoesNotContain("TorchSharp", assets, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MlNetRnn.Training", assets, StringComparison.OrdinalIgnoreCase);

        var ml = new MLContext(seed: 1);
        var data = TestData.Load(ml, [[3, 4, 5], [6]]);
        using var scorer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = model }).Fit(data);
        var expected = TestData.Vectors<float>(scorer.Transform(data), "Score");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < 2; i++)
            TestData.AssertClose(expected[i], lines[i].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(), 0f, $"row {i}");
    }

    /// <summary>A model shipped in the repository's <c>models/</c> folder.</summary>
    private static string ShippedModel(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models", file);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"models/{file} not found above {AppContext.BaseDirectory}.");
    }
}
