using Xunit;

namespace MlNetRnn.Training.Tests;

/// <summary>
/// TorchSharp's generator and thread pool are process-wide: tests that seed it or compare results bit for bit run in this
/// collection, which xunit runs alone (no test of any other collection runs at the same time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    /// <summary>The collection name for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "TorchSharp global state";
}
