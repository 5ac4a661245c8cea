using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class MobyDickTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-moby-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadFrom_ReturnsTheWholeDataFile()
    {
        string text = MobyDick.LoadFrom(DatasetFixtures.PackageDirectory("moby-dick"));

        Assert.Equal(2919, text.Length);
        Assert.StartsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago\u2014never mind", text, StringComparison.Ordinal);
        Assert.EndsWith("carries you down in a\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFrom_NormalisesWindowsLineEnds()
    {
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        File.WriteAllText(Path.Combine(directory, "data", "data.txt"), "CHAPTER 1.\r\n\r\nCall me Ishmael.\r\n");

        Assert.Equal("CHAPTER 1.\n\nCall me Ishmael.\n", MobyDick.LoadFrom(directory));
    }
}
