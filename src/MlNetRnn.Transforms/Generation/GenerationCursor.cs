using Microsoft.ML;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Reads <c>WindowSize</c> rows ahead (inputs and pass-through values), decodes them in length-ordered batches of
/// <c>BatchSize</c> rows (<c>Concurrency</c> batches at a time, <see cref="GenerationCore.GenerateWindow"/>), then serves
/// them one by one in their original order (<see cref="WindowedRowCursor"/>, as the scorer's cursor).
/// </summary>
internal sealed class GenerationCursor : WindowedRowCursor
{
    private readonly GenerationCore core;
    private readonly GeneratorSessions.Lease lease;
    private readonly GenerationInputReader? reader;
    private readonly List<GenerationInput> inputs = [];
    private GenerationOutput[] outputs = [];

    public GenerationCursor(GenerationCore core, GenerationSchema schema, DataViewRowCursor upstream, bool[] active, bool generate, GeneratorSessions.Lease lease)
        : base(schema.Input, schema.Output, schema.AddedIndex, upstream, active, core.Settings.WindowSize, lease, "generating", namesGetterType: false)
    {
        this.core = core;
        this.lease = lease;
        if (generate)
            reader = new GenerationInputReader(upstream, schema, core);
        CreateAddedGetters(added => GenerationGetters.Create(added, () => outputs[Slot]));
    }

    protected override void BeginWindow() => inputs.Clear();

    protected override void ReadRow(long rowPosition)
    {
        if (reader is not null)
            inputs.Add(reader.Read(rowPosition));
    }

    protected override void ComputeWindow(ReadOnlySpan<long> rowPositions)
    {
        if (reader is not null)
            outputs = core.GenerateWindow(lease.Steps, inputs);
    }
}
