using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

/// <summary>The README's C# examples compile (they are <see cref="ReadmeExamples"/>), run, and match the README text.</summary>
/// <remarks>In the TorchSharp collection, which runs alone: the examples seed TorchSharp and change the current directory.</remarks>
[Collection(TorchCollection.Name)]
public sealed class ReadmeTests
{
    private static readonly string[] Readmes = ["README.md", Path.Combine("src", "MlNetRnn.Transforms", "README.md")];

    [Fact]
    public void ReadmeCodeBlocks_OccurLineByLineInTheCompiledExamples()
    {
        string root = RepositoryRoot();
        var compiled = NormalizedLines(File.ReadAllText(ExamplesSourcePath()));
        int blockCount = 0;
        foreach (string readme in Readmes)
        {
            var blocks = CSharpBlocks(File.ReadAllText(Path.Combine(root, readme)));
            for (int b = 0; b < blocks.Count; b++)
            {
                var missing = FirstMissingLine(NormalizedLines(blocks[b]), compiled);
                Assert.True(missing is null, $"{readme}, C# block {b + 1}: the line \"{missing}\" does not occur (after the block's previous lines) in ReadmeExamples.cs.");
            }

            blockCount += blocks.Count;
        }

        Assert.True(blockCount >= 7, $"expected the seven C# blocks of the two READMEs, found {blockCount}");
    }

    [Fact]
    public void FirstMissingLine_FindsALineThatIsAbsentOrOutOfOrder()
    {
        string[] compiled = ["a", "b", "c"];

        Assert.Null(FirstMissingLine(["a", "c"], compiled));
        Assert.Equal("x", FirstMissingLine(["a", "x"], compiled));
        Assert.Equal("a", FirstMissingLine(["c", "a"], compiled));
    }

    [Fact]
    public void ReadmeExamples_RunOnTinyData()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = directory;

            ReadmeExamples.TrainExportVerify();
            Assert.True(new FileInfo("sentiment.onnx").Length > 0);
            ReadmeExamples.ScoreInMlNet();
            Assert.True(new FileInfo("model.zip").Length > 0);
            ReadmeExamples.FitInMlNet();
            Assert.True(new FileInfo("fit-model.zip").Length > 0);
            ReadmeExamples.WriteTinyG2pPackage();
            ReadmeExamples.GenerateInMlNet();
            TransformsReadmeExamples.Use();
            TransformsReadmeExamples.Options();
            TransformsReadmeExamples.Load();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The contents of every <c>```csharp</c> fenced block, in order.</summary>
    internal static List<string> CSharpBlocks(string markdown) =>
        Regex.Matches(markdown, @"^```csharp[ \t]*\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>Non-blank lines, trimmed, with runs of whitespace collapsed to one space.</summary>
    internal static string[] NormalizedLines(string text) =>
        text.Split('\n')
            .Select(line => Regex.Replace(line, @"\s+", " ").Trim())
            .Where(line => line.Length > 0)
            .ToArray();

    /// <summary>The first line of <paramref name="block"/> that does not occur in <paramref name="compiled"/> after the block's earlier lines.</summary>
    internal static string? FirstMissingLine(IReadOnlyList<string> block, IReadOnlyList<string> compiled)
    {
        int position = 0;
        foreach (string line in block)
        {
            while (position < compiled.Count && compiled[position] != line)
                position++;
            if (position == compiled.Count)
                return line;
            position++;
        }

        return null;
    }

    private static string ExamplesSourcePath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "ReadmeExamples.cs");

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
