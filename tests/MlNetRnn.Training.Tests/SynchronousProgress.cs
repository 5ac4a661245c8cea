namespace MlNetRnn.Training.Tests;

/// <summary>An <see cref="IProgress{T}"/> that runs its callback on the reporting thread (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        onReport(value);
    }
}
