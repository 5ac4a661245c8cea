using MlNetRnn.Training.Data;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class SequenceBatchTests
{
    [Fact]
    public void Create_SequenceExamples_PadsTimeMajorToTheLongestAndKeepsLabels()
    {
        SequenceExample[] examples = [new([5, 6, 7], 1), new([8], 0), new([9, 10], 2)];

        using var batch = SequenceBatch.Create(examples, [2, 0, 1]);

        Assert.Equal([3L, 3L], batch.Ids.shape);
        Assert.Equal(new long[] { 9, 5, 8, 10, 6, 0, 0, 7, 0 }, batch.Ids.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 1 }, batch.Lengths.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 1, 0 }, batch.Targets.data<long>().ToArray());
        Assert.Equal(6, batch.TokenCount);
        Assert.Equal([2, 0, 1], batch.Indices);
    }

    [Fact]
    public void Create_TaggedSequences_MarksPaddedTargetsIgnored()
    {
        TaggedSequence[] examples = [new([5, 6], [1, 2]), new([7], [3])];

        using var batch = SequenceBatch.Create(examples, [0, 1]);

        Assert.Equal([2L, 2L], batch.Targets.shape);
        Assert.Equal(new long[] { 1, 3, 2, SequenceBatch.IgnoredTarget }, batch.Targets.data<long>().ToArray());
    }

    [Fact]
    public void Create_AllEmptySequencesGiveOnePaddedStep()
    {
        SequenceExample[] examples = [new([], 0), new([], 1)];

        using var batch = SequenceBatch.Create(examples, [0, 1]);

        Assert.Equal([1L, 2L], batch.Ids.shape);
        Assert.Equal(new long[] { 0, 0 }, batch.Lengths.data<long>().ToArray());
    }

    [Fact]
    public void Create_UsesTheGivenPadId()
    {
        SequenceExample[] examples = [new([5, 6], 0), new([7], 1)];

        using var batch = SequenceBatch.Create(examples, [0, 1], padId: 3);

        Assert.Equal(new long[] { 5, 7, 6, 3 }, batch.Ids.data<long>().ToArray());
    }

    [Fact]
    public void Create_RejectsEmptyAndOutOfRangeIndices()
    {
        SequenceExample[] examples = [new([5], 0)];

        Assert.Throws<ArgumentException>(() => SequenceBatch.Create(examples, []));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SequenceBatch.Create(examples, [0, 1]));
        Assert.Contains("[0, 1)", error.Message);
    }

    [Fact]
    public void Create_TaggedSequencesWithCharacters_PadsWordsToTheLongestWordOfTheBatch()
    {
        TaggedSequence[] examples = [new([5, 6], [[2, 3], [4]], [1, 2]), new([7], [[5, 6, 7]], [3])];

        using var batch = SequenceBatch.Create(examples, [0, 1]);

        Assert.Equal([2L, 2L, 3L], batch.CharIds!.shape);                 // (T, B, W)
        Assert.Equal(new long[] { 2, 3, 0, 5, 6, 7, 4, 0, 0, 0, 0, 0 }, batch.CharIds.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 1, 0 }, batch.CharLengths!.data<long>().ToArray());
    }

    [Fact]
    public void Create_TaggedSequencesWithAndWithoutCharacters_Throws()
    {
        TaggedSequence[] examples = [new([5], [[2]], [1]), new([7], [3])];

        var error = Assert.Throws<ArgumentException>(() => SequenceBatch.Create(examples, [0, 1]));

        Assert.Contains("1 of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaggedSequence_CharactersOfTheWrongCount_ThrowNamingBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => new TaggedSequence([5, 6], [[2]], [1, 2]));

        Assert.Contains("(2), got 1", error.Message, StringComparison.Ordinal);
    }
}
