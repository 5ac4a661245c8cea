using Microsoft.ML;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// One row at a time for ML.NET's <c>PredictionEngine</c>: each row is decoded as a batch of one by the same code as the
/// batched cursor (a row decodes the same alone and in a batch). Without a seed column, a row's seed is
/// <c>Seed + the input row's Position</c>.
/// </summary>
internal sealed class GenerationRowMapper(GenerationCore core, GeneratorSessions sessions, GenerationSchema schema)
    : SingleRowMapper(schema.Input, schema.Output, schema.AddedIndex, ComputedFrom(schema))
{
    protected override DataViewRow CreateRow(DataViewRow input, bool[] active)
    {
        var lease = sessions.Acquire(nameof(RnnGenerationTransformer));
        try
        {
            return new MappedRow(this, core, schema, input, active, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static int[] ComputedFrom(GenerationSchema schema) =>
        schema.SeedColumn is { } seed ? [schema.InputColumn.Index, seed.Index] : [schema.InputColumn.Index];

    private sealed class MappedRow : MappedRowBase
    {
        private readonly GenerationSchema schema;
        private readonly GeneratorSessions.Lease lease;
        private readonly GenerationCore core;
        private GenerationInputReader? reader;
        private GenerationOutput? output;
        private long generatedPosition = long.MinValue;

        public MappedRow(GenerationRowMapper mapper, GenerationCore core, GenerationSchema schema, DataViewRow input, bool[] active, GeneratorSessions.Lease lease)
            : base(mapper, input, active, lease)
        {
            this.core = core;
            this.schema = schema;
            this.lease = lease;
            CreateAddedGetters(added => GenerationGetters.Create(added, Current));
        }

        private GenerationOutput Current()
        {
            if (output is null || generatedPosition != Input.Position)
            {
                reader ??= new GenerationInputReader(Input, schema, core);
                output = core.Generate(lease.Steps, [reader.Read(Input.Position)])[0];
                generatedPosition = Input.Position;
            }

            return output;
        }
    }
}
