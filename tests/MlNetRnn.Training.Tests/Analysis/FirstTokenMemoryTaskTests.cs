using MlNetRnn.Training.Analysis;
using Xunit;

namespace MlNetRnn.Training.Tests.Analysis;

public sealed class FirstTokenMemoryTaskTests
{
    [Fact]
    public void Generate_LabelIsFirstTokenAndTheRestAreDistractors()
    {
        var task = new FirstTokenMemoryTask(classes: 4, distractors: 6);

        var examples = task.Generate(count: 200, length: 9, seed: 3);

        Assert.Equal(12, task.VocabSize);
        Assert.All(examples, e =>
        {
            Assert.Equal(9, e.Ids.Length);
            Assert.Equal(FirstTokenMemoryTask.FirstClassId + e.Label, e.Ids[0]);
            Assert.InRange(e.Label, 0, 3);
            Assert.All(e.Ids.Skip(1), id => Assert.InRange(id, task.FirstDistractorId, task.VocabSize - 1));
        });
        Assert.Equal(4, examples.Select(e => e.Label).Distinct().Count());
        Assert.Equal(6, examples.SelectMany(e => e.Ids.Skip(1)).Distinct().Count());
    }

    [Fact]
    public void Generate_SameSeedSameSequences_OtherSeedOtherSequences()
    {
        var task = new FirstTokenMemoryTask(classes: 3, distractors: 5);

        var a = task.Generate(50, 6, seed: 1);
        var b = task.Generate(50, 6, seed: 1);
        var c = task.Generate(50, 6, seed: 2);

        Assert.Equal(a.Select(e => (e.Label, string.Join(",", e.Ids))), b.Select(e => (e.Label, string.Join(",", e.Ids))));
        Assert.NotEqual(a.Select(e => string.Join(",", e.Ids)), c.Select(e => string.Join(",", e.Ids)));
    }

    [Fact]
    public void Generate_LengthOneIsTheClassTokenAlone()
    {
        var examples = new FirstTokenMemoryTask(2, 1).Generate(10, 1, seed: 0);

        Assert.All(examples, e => Assert.Equal([FirstTokenMemoryTask.FirstClassId + e.Label], e.Ids));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 0)]
    public void Constructor_RejectsTooFewClassesOrDistractors(int classes, int distractors)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FirstTokenMemoryTask(classes, distractors));
        Assert.Contains("at least", error.Message);
    }

    [Fact]
    public void Generate_RejectsZeroLength()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FirstTokenMemoryTask(2, 2).Generate(1, 0, seed: 0));
        Assert.Equal("length", error.ParamName);
    }
}
