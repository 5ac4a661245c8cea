using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms.Onnx;

/// <summary>Creates ONNX Runtime sessions from model bytes (never from a file, never through a temporary file).</summary>
internal static class OnnxSessionFactory
{
    /// <summary>Reads a model file, wrapping I/O failures in a message that names the path.</summary>
    public static byte[] ReadModelFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model file '{path}' does not exist.", path);
        return File.ReadAllBytes(path);
    }

    /// <summary>Reads a whole stream into memory.</summary>
    public static byte[] ReadModelStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Creates a session with the scorer's threading and provider settings; the caller owns it.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime refuses the bytes (not ONNX, truncated, unsupported operator…).</exception>
    /// <exception cref="InvalidOperationException">A GPU is requested but ONNX Runtime's CUDA provider is not available.</exception>
    public static InferenceSession Create(byte[] model, RnnScorerSettings settings) =>
        Create(model, settings.IntraOpThreads, settings.GpuDeviceId, settings.ConfigureSessionOptions);

    /// <summary>Creates a session; the caller owns it. <paramref name="intraOpThreads"/> is already validated.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime refuses the bytes (not ONNX, truncated, unsupported operator…).</exception>
    /// <exception cref="InvalidOperationException">A GPU is requested but ONNX Runtime's CUDA provider is not available.</exception>
    public static InferenceSession Create(byte[] model, int intraOpThreads, int? gpuDeviceId = null, Action<SessionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0)
            throw new InvalidDataException("The ONNX model is empty (0 bytes).");

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (gpuDeviceId is int device)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(device);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                throw new InvalidOperationException(
                    $"{nameof(RnnScorerSettings.GpuDeviceId)} is {device}, but ONNX Runtime's CUDA provider is not available ({e.Message}). Reference the Microsoft.ML.OnnxRuntime.Gpu package and install CUDA, or leave {nameof(RnnScorerSettings.GpuDeviceId)} unset.", e);
            }
        }
        configure?.Invoke(sessionOptions);
        try
        {
            return new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime could not load the model ({model.Length} bytes): {e.Message}", e);
        }
    }
}
