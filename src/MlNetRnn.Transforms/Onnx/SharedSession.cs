using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms.Onnx;

/// <summary>
/// An <see cref="InferenceSession"/> with one owner (the transformer) and any number of leases (cursors, rows). The session
/// is disposed when the owner has let go and the last lease is returned, so disposing the transformer while a cursor still
/// runs can never free native memory under a running <c>Run</c>.
/// </summary>
internal sealed class SharedSession
{
    private readonly object gate = new();
    private readonly InferenceSession session;
    private int references = 1;
    private bool ownerReleased;

    public SharedSession(InferenceSession session) => this.session = session;

    public bool IsOwnerReleased
    {
        get { lock (gate) return ownerReleased; }
    }

    /// <summary>Takes a lease; throws <see cref="ObjectDisposedException"/> once the owner has released the session.</summary>
    public Lease Acquire(string ownerName)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(ownerReleased, ownerName);
            references++;
            return new Lease(this);
        }
    }

    /// <summary>The owner's release; harmless when repeated.</summary>
    public void ReleaseOwner()
    {
        lock (gate)
        {
            if (ownerReleased)
                return;
            ownerReleased = true;
        }

        Release();
    }

    private void Release()
    {
        bool last;
        lock (gate)
            last = --references == 0;
        if (last)
            session.Dispose();
    }

    /// <summary>A borrowed use of the session; dispose it exactly once (extra disposals are ignored).</summary>
    internal sealed class Lease : IDisposable
    {
        private SharedSession? owner;

        public Lease(SharedSession owner) => this.owner = owner;

        public InferenceSession Session => (owner ?? throw new ObjectDisposedException(nameof(Lease))).session;

        public void Dispose() => Interlocked.Exchange(ref owner, null)?.Release();
    }
}
