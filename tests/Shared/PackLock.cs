namespace MlNetRnn.Tests;

/// <summary>
/// A machine-wide lock around <c>dotnet pack</c> of this repository's projects. <c>dotnet test MlNetRnn.sln</c> runs the test
/// assemblies in parallel, and the package tests of two assemblies would otherwise rebuild the same project into the same
/// <c>obj/</c> folder at once.
/// </summary>
/// <remarks>Compiled into every test project from <c>tests/Shared</c>. Hold it on one thread: <c>using (PackLock.Acquire()) { … }</c>.</remarks>
internal static class PackLock
{
    public static IDisposable Acquire()
    {
        var mutex = new Mutex(initiallyOwned: false, @"Global\MlNetRnn.PackageTests");
        try
        {
            mutex.WaitOne();
        }
        catch (AbandonedMutexException)
        {
            // A test process died while packing; the lock is ours now.
        }

        return new Releaser(mutex);
    }

    private sealed class Releaser(Mutex mutex) : IDisposable
    {
        public void Dispose()
        {
            mutex.ReleaseMutex();
            mutex.Dispose();
        }
    }
}
