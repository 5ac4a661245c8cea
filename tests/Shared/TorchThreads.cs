using static TorchSharp.torch;

namespace MlNetRnn.Tests;

/// <summary>The fixture of <see cref="TorchCollection"/>: runs libtorch on one intra-op thread in this test process.</summary>
/// <remarks>
/// The test models are tiny (embedding 8, hidden 16): a second thread gains nothing, and on a busy 2-core machine
/// libtorch's spinning OpenMP workers made the suite about 30 times slower (3 minutes instead of 6 seconds, measured while
/// other builds ran). Results are unaffected: every comparison in these tests is within one process, so one thread count.
/// A collection fixture rather than a module initializer, so the processes the tests start from the test assembly
/// (<c>Program.cs</c>) never load libtorch.
/// </remarks>
public sealed class TorchThreads
{
    public TorchThreads() => set_num_threads(1);
}
