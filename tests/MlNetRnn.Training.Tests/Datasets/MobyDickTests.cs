using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class MobyDickTests
{
    [Fact]
    public void Load_ReturnsTheWholeBook()
    {
        string text = MobyDick.Load();

        Assert.Equal(1_190_317, text.Length);
        Assert.Equal(83, text.Distinct().Count());
        Assert.StartsWith("CHAPTER 1. Loomings.", text.TrimStart());
        Assert.DoesNotContain('\r', text);
    }
}
