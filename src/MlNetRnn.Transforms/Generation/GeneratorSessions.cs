using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The two ONNX Runtime sessions of a package, owned by one transformer and leased by its cursors and rows (the
/// <see cref="SharedSession"/> rule: the sessions are freed when the owner has let go and the last lease is returned).
/// </summary>
internal sealed class GeneratorSessions
{
    private readonly SharedSession encoder;
    private readonly SharedSession decoder;

    private GeneratorSessions(GeneratorPackage package, SharedSession encoder, SharedSession decoder)
    {
        Package = package;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public GeneratorPackage Package { get; }

    public bool IsOwnerReleased => encoder.IsOwnerReleased;

    /// <summary>Opens both graphs and checks them against the manifest.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load a graph, or a graph does not match the manifest.</exception>
    public static GeneratorSessions Open(GeneratorPackage package, int intraOpThreads)
    {
        var encoder = Create(package, GeneratorManifest.EncoderEntryName, package.Encoder, intraOpThreads);
        Microsoft.ML.OnnxRuntime.InferenceSession? decoder = null;
        try
        {
            decoder = Create(package, GeneratorManifest.DecoderStepEntryName, package.DecoderStep, intraOpThreads);
            OnnxDecoderSteps.CheckGraphs(package, encoder, decoder);
            return new GeneratorSessions(package, new SharedSession(encoder), new SharedSession(decoder));
        }
        catch
        {
            encoder.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    /// <summary>Borrows both sessions; throws <see cref="ObjectDisposedException"/> once the owner has released them.</summary>
    public Lease Acquire(string ownerName)
    {
        var encoderLease = encoder.Acquire(ownerName);
        try
        {
            var decoderLease = decoder.Acquire(ownerName);
            return new Lease(encoderLease, decoderLease, new OnnxDecoderSteps(Package, encoderLease.Session, decoderLease.Session));
        }
        catch
        {
            encoderLease.Dispose();
            throw;
        }
    }

    /// <summary>The owner's release; harmless when repeated.</summary>
    public void ReleaseOwner()
    {
        encoder.ReleaseOwner();
        decoder.ReleaseOwner();
    }

    private static Microsoft.ML.OnnxRuntime.InferenceSession Create(GeneratorPackage package, string entry, byte[] bytes, int threads)
    {
        try
        {
            return OnnxSessionFactory.Create(bytes, threads);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{package.Describe(entry)}: {e.Message}", e);
        }
    }

    /// <summary>Both sessions borrowed, and the decoding steps over them.</summary>
    internal sealed class Lease(SharedSession.Lease encoder, SharedSession.Lease decoder, IDecoderSteps steps) : IDisposable
    {
        public IDecoderSteps Steps { get; } = steps;

        public void Dispose()
        {
            encoder.Dispose();
            decoder.Dispose();
        }
    }
}
