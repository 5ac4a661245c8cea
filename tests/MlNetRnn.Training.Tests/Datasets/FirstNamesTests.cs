using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class FirstNamesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-names-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static FirstNameList LoadFixture() =>
        FirstNames.LoadFrom(DatasetFixtures.PackageDirectory("female-names"), DatasetFixtures.PackageDirectory("male-names"));

    [Fact]
    public void LoadFrom_LabelsTheNamesOfOneListOnly_FemaleFirst()
    {
        var names = LoadFixture();

        Assert.Equal(["Aaren", "Aarika", "Abagael", "Abagail", "Abbi", "Ann-Marie", "Dee", "Zsa"], names.Names.Where(n => n.Label == 0).Select(n => n.Text));
        Assert.Equal(["Aaron", "Ab", "Abba", "Abbot", "Abbott", "Darcy"], names.Names.Where(n => n.Label == 1).Select(n => n.Text));
        Assert.All(names.Names, n => Assert.Equal(FirstNames.Labels[n.Label], n.Source));
        Assert.Equal(0, names.Names.TakeWhile(n => n.Label == 0).Count(n => n.Label == 1));
    }

    [Fact]
    public void LoadFrom_NamesInBothLists_AreLeftOutOfTheLabelledNames_ButStillKnown()
    {
        var names = LoadFixture();

        Assert.Equal(["Abbe", "Abbey", "Abbie"], names.InBothLists);
        Assert.DoesNotContain(names.Names, n => names.InBothLists.Contains(n.Text));
        Assert.True(names.Contains("Abbey"));
        Assert.True(names.Contains("ABBEY"));
        Assert.True(names.Contains("aaren"));
        Assert.False(names.Contains("Zork"));
    }

    [Fact]
    public void LoadFrom_RepeatedNames_CountOnce()
    {
        var names = LoadFixture();

        Assert.Equal(4, names.DuplicatesDropped);   // Dee ×3, Zsa ×2, Darcy ×2
        Assert.Single(names.Names, n => n.Text == "Dee");
    }

    [Fact]
    public void LoadFrom_ComparesNamesIgnoringCase()
    {
        var (female, male) = (Write("female", """["Lee","Mary"]"""), Write("male", """["LEE","John"]"""));

        var names = FirstNames.LoadFrom(female, male);

        Assert.Equal(["Lee"], names.InBothLists);
        Assert.Equal(["Mary", "John"], names.Names.Select(n => n.Text));
    }

    [Theory]
    [InlineData("""["Ann", 3]""", "names.json, entry 1: expected a non-empty string, got 3")]
    [InlineData("""["Ann", ""]""", "names.json, entry 1: expected a non-empty string")]
    [InlineData("""{"names": []}""", "names.json: expected a JSON array of names, got a JSON Object")]
    [InlineData("""["Ann",""", "names.json: not valid JSON")]
    public void LoadFrom_MalformedFile_IsRejectedWithFileAndEntry(string json, string expected)
    {
        var (female, male) = (Write("female", json), Write("male", """["John"]"""));

        var e = Assert.Throws<InvalidDataException>(() => FirstNames.LoadFrom(female, male));

        Assert.Contains(expected, e.Message);
        Assert.Contains("female", e.Message);
    }

    [Fact]
    public void Split_PutsEachNameInExactlyOnePart_WhateverItsCase()
    {
        var names = LoadFixture();
        var split = names.Split();
        var parts = new[] { split.Train, split.Validation, split.Test };

        Assert.Equal(names.Names.Count, parts.Sum(p => p.Count));
        foreach (var name in names.Names)
        {
            Assert.Single(parts, p => p.Contains(name));
            Assert.Equal(HashSplit.PartOf(name.Text.ToLowerInvariant()), HashSplit.PartOf(name.Text.ToLowerInvariant()));
        }
        var upper = new FirstNameList(names.Names.Select(n => n with { Text = n.Text.ToUpperInvariant() }).ToList(), [], 0).Split();
        Assert.Equal(split.Test.Select(n => n.Text.ToUpperInvariant()), upper.Test.Select(n => n.Text));
    }

    private string Write(string list, string json)
    {
        string data = Path.Combine(directory, list, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "names.json"), json);
        return Path.Combine(directory, list);
    }
}
