using MlNetRnn.Training.Data;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

public sealed class LabelSetTests
{
    [Fact]
    public void Build_OrdersDistinctLabelsOrdinally()
    {
        var labels = LabelSet.Build(["pos", "neg", "pos", "NN", "neg"]);

        Assert.Equal(["NN", "neg", "pos"], labels.Names);
        Assert.Equal(1, labels.IndexOf("neg"));
        Assert.Equal("pos", labels[2]);
    }

    [Fact]
    public void IndexOf_UnknownLabelThrowsNamingTheKnownOnes()
    {
        var labels = LabelSet.FromNames(["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => labels.IndexOf("c"));
        Assert.Contains("\"a\", \"b\"", error.Message);
        Assert.False(labels.TryGetIndex("c", out int index));
        Assert.Equal(-1, index);
    }

    [Fact]
    public void ToJsonThenFromJson_KeepsTheOrder()
    {
        var labels = LabelSet.FromNames(["z", "é", "a"]);

        var restored = LabelSet.FromJson(labels.ToJson());

        Assert.Equal(labels.Names, restored.Names);
    }

    [Fact]
    public void SaveThenLoad_File_KeepsTheOrder()
    {
        var labels = LabelSet.FromNames(["VB", "NN", "DT"]);
        string path = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.json");
        try
        {
            labels.Save(path);
            Assert.Equal(labels.Names, LabelSet.Load(path).Names);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromNames_RejectsDuplicates()
    {
        var error = Assert.Throws<ArgumentException>(() => LabelSet.FromNames(["a", "b", "a"]));
        Assert.Contains("indices 0 and 2", error.Message);
        Assert.Throws<FormatException>(() => LabelSet.FromJson("[\"a\",\"a\"]"));
    }
}
