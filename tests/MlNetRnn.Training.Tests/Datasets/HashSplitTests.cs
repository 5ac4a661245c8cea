using System.Security.Cryptography;
using System.Text;
using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class HashSplitTests
{
    private static readonly string[] Words = Enumerable.Range(0, 4000).Select(i => $"word{i}").ToArray();

    [Fact]
    public void PartOf_FollowsTheDocumentedBucketOfTheSha256()
    {
        foreach (var word in Words.Take(200))
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(word));
            ulong bucket = 0;
            for (int i = 0; i < 8; i++)
                bucket = (bucket << 8) | hash[i];
            var expected = (bucket % 100) switch { < 90 => DataPart.Train, < 95 => DataPart.Validation, _ => DataPart.Test };
            Assert.Equal(expected, HashSplit.PartOf(word));
        }
    }

    [Fact]
    public void Split_GivesAbout90_5_5()
    {
        var split = HashSplit.Split(Words, w => w);

        Assert.InRange(split.Train.Count / (double)Words.Length, 0.88, 0.92);
        Assert.InRange(split.Validation.Count / (double)Words.Length, 0.04, 0.06);
        Assert.InRange(split.Test.Count / (double)Words.Length, 0.04, 0.06);
    }

    [Fact]
    public void Split_PutsEachItemInExactlyOnePart_KeepingInputOrder()
    {
        var split = HashSplit.Split(Words, w => w);

        Assert.Equal(Words.Order(), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.Equal(Words.Where(w => HashSplit.PartOf(w) == DataPart.Test), split.Test);
    }

    [Fact]
    public void Split_DoesNotDependOnInputOrderOrOnTheOtherItems()
    {
        var random = new Random(3);
        var shuffled = Words.OrderBy(_ => random.Next()).ToArray();

        var a = HashSplit.Split(Words, w => w);
        var b = HashSplit.Split(shuffled, w => w);
        var half = HashSplit.Split(Words.Take(1000), w => w);

        Assert.Equal(a.Test.Order(), b.Test.Order());
        Assert.Equal(a.Validation.Order(), b.Validation.Order());
        Assert.Equal(a.Test.Where(w => Array.IndexOf(Words, w) < 1000), half.Test);
    }

    [Fact]
    public void Split_NullKey_IsRejectedWithTheItemIndex()
    {
        var e = Assert.Throws<ArgumentNullException>(() => HashSplit.Split(["a", "b"], w => w == "b" ? null! : w));

        Assert.Contains("item 1", e.Message);
    }
}
