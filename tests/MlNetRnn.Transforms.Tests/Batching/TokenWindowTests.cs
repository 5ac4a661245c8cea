using MlNetRnn.Transforms.Batching;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Batching;

public sealed class TokenWindowTests
{
    [Fact]
    public void AppendRow_StoresRowsBackToBackAndGrows()
    {
        var window = new TokenWindow();
        for (int r = 0; r < 200; r++)
        {
            var span = window.AppendRow(r % 17);
            for (int t = 0; t < span.Length; t++)
                span[t] = (r * 100) + t;
        }

        Assert.Equal(200, window.Count);
        for (int r = 0; r < 200; r++)
        {
            Assert.Equal(r % 17, window.Length(r));
            Assert.Equal(Enumerable.Range(0, r % 17).Select(t => (long)((r * 100) + t)), window.Row(r).ToArray());
        }
    }

    [Fact]
    public void Clear_EmptiesTheWindow()
    {
        var window = new TokenWindow();
        window.AppendRow(3).Fill(1);
        window.Clear();
        Assert.Equal(0, window.Count);
        Assert.Equal(0, window.TokenCount);
        Assert.Equal(2, window.AppendRow(2).Length);
        Assert.Equal(0, window.Start(0));
    }
}
