using Xunit;

namespace MlNetRnn.Tests;

/// <summary>
/// TorchSharp's generator and thread pool are process-wide: tests that seed it, set its threads or compare results bit for
/// bit run in this collection, which xunit runs alone (no test of any other collection runs at the same time), on one
/// libtorch thread (<see cref="TorchThreads"/>).
/// </summary>
/// <remarks>Compiled into every test project from <c>tests/Shared</c>; a collection only spans one test assembly.</remarks>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection : ICollectionFixture<TorchThreads>
{
    /// <summary>The collection name for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "TorchSharp global state";
}
