using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>Reads one row's <see cref="GenerationInput"/> from the checked input (and seed) column.</summary>
internal sealed class GenerationInputReader
{
    private readonly GenerationCore core;
    private readonly ValueGetter<ReadOnlyMemory<char>>? text;
    private readonly ValueGetter<VBuffer<float>>? vector;
    private readonly ValueGetter<uint>? key;
    private readonly Func<int>? seed;
    private ReadOnlyMemory<char> textValue;
    private VBuffer<float> vectorValue;

    public GenerationInputReader(DataViewRow row, GenerationSchema schema, GenerationCore core)
    {
        this.core = core;
        var column = schema.InputColumn;
        if (!core.Settings.Conditioned)
            text = row.GetGetter<ReadOnlyMemory<char>>(column);
        else if (schema.InputIsKey)
            key = KeyGetter(row, column);
        else
            vector = row.GetGetter<VBuffer<float>>(column);
        if (schema.SeedColumn is { } seedColumn)
            seed = SeedGetter(row, seedColumn);
    }

    /// <summary>The current row's input; <paramref name="position"/> seeds rows when there is no seed column.</summary>
    public GenerationInput Read(long position)
    {
        if (text is not null)
        {
            text(ref textValue);
            return new GenerationInput(textValue.IsEmpty ? null : core.SourceIds(textValue.ToString()), null, 0);
        }

        int rowSeed = seed?.Invoke() ?? unchecked((int)(core.Settings.Seed + position));
        int size = core.Package.Manifest.Condition!.Size;
        if (key is not null)
        {
            uint k = 0;
            key(ref k);
            if (k == 0 || k > size)
                return new GenerationInput(null, null, rowSeed);
            var oneHot = new float[size];
            oneHot[k - 1] = 1;
            return new GenerationInput(null, oneHot, rowSeed);
        }

        vector!(ref vectorValue);
        var condition = new float[size];
        vectorValue.CopyTo(condition);
        return new GenerationInput(null, condition, rowSeed);
    }

    private static ValueGetter<uint> KeyGetter(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(uint))
            return row.GetGetter<uint>(column);
        if (raw == typeof(ulong))
        {
            var g = row.GetGetter<ulong>(column);
            ulong v = 0;
            return (ref uint value) => { g(ref v); value = v > uint.MaxValue ? 0 : (uint)v; };
        }

        if (raw == typeof(ushort))
        {
            var g = row.GetGetter<ushort>(column);
            ushort v = 0;
            return (ref uint value) => { g(ref v); value = v; };
        }

        var b = row.GetGetter<byte>(column);
        byte bv = 0;
        return (ref uint value) => { b(ref bv); value = bv; };
    }

    private static Func<int> SeedGetter(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(int))
        {
            var g = row.GetGetter<int>(column);
            int v = 0;
            return () => { g(ref v); return v; };
        }

        if (raw == typeof(long))
        {
            var g = row.GetGetter<long>(column);
            long v = 0;
            return () => { g(ref v); return unchecked((int)v); };
        }

        var u = row.GetGetter<uint>(column);
        uint uv = 0;
        return () => { u(ref uv); return unchecked((int)uv); };
    }
}
