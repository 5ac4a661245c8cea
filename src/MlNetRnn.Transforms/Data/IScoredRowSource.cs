using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Data;

/// <summary>Where output getters find the current row's results: a cursor's window, or a single mapped row.</summary>
internal interface IScoredRowSource
{
    TokenWindow Window { get; }

    WindowResults Results { get; }

    /// <summary>The current row's index in <see cref="Window"/>.</summary>
    int Slot { get; }

    /// <summary>Makes sure the current row has been scored (a no-op for cursors, which score whole windows ahead).</summary>
    void EnsureScored();
}
