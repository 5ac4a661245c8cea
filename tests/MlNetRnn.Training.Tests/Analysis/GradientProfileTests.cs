using MlNetRnn.Training.Analysis;
using Xunit;

namespace MlNetRnn.Training.Tests.Analysis;

public sealed class GradientProfileTests
{
    [Fact]
    public void NormAtDistance_CountsBackFromTheLastStep()
    {
        var profile = new GradientProfile(Layer: 0, Units: 2, MeanNorm: [1.0, 2.0, 3.0], MeanAbs: new float[6]);

        Assert.Equal(3, profile.Steps);
        Assert.Equal(3.0, profile.NormAtDistance(0));
        Assert.Equal(1.0, profile.NormAtDistance(2));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void NormAtDistance_RejectsDistanceOutsideTheSteps(int distance)
    {
        var profile = new GradientProfile(0, 2, [1.0, 2.0, 3.0], new float[6]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => profile.NormAtDistance(distance));

        Assert.Contains("[0, 3)", error.Message);
    }
}
