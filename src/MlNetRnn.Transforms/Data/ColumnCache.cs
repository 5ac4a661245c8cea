using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Holds one pass-through column's values for every row of a window, so rows can be served after the upstream cursor has
/// moved on. Vectors are deep-copied into per-slot buffers that are reused from window to window.
/// </summary>
internal abstract class ColumnCache
{
    private static readonly MethodInfo CreateScalar = typeof(ColumnCache).GetMethod(nameof(CreateScalarCore), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CreateVector = typeof(ColumnCache).GetMethod(nameof(CreateVectorCore), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Stores the upstream row's value in <paramref name="slot"/>.</summary>
    public abstract void Store(int slot);

    /// <summary>A getter that serves the value of the slot <paramref name="currentSlot"/> returns.</summary>
    public abstract Delegate CreateGetter(Func<int> currentSlot);

    public static ColumnCache Create(DataViewRow upstream, DataViewSchema.Column column)
    {
        var method = column.Type is VectorDataViewType vector
            ? CreateVector.MakeGenericMethod(vector.ItemType.RawType)
            : CreateScalar.MakeGenericMethod(column.Type.RawType);
        return (ColumnCache)method.Invoke(null, [upstream, column])!;
    }

    private static ColumnCache CreateScalarCore<T>(DataViewRow upstream, DataViewSchema.Column column) =>
        new Scalar<T>(upstream.GetGetter<T>(column));

    private static ColumnCache CreateVectorCore<T>(DataViewRow upstream, DataViewSchema.Column column) =>
        new Vector<T>(upstream.GetGetter<VBuffer<T>>(column));

    private sealed class Scalar<T>(ValueGetter<T> source) : ColumnCache
    {
        private T[] values = new T[16];

        public override void Store(int slot)
        {
            if (slot >= values.Length)
                Array.Resize(ref values, Math.Max(slot + 1, values.Length * 2));
            source(ref values[slot]);
        }

        public override Delegate CreateGetter(Func<int> currentSlot) =>
            (ValueGetter<T>)((ref T value) => value = values[currentSlot()]);
    }

    private sealed class Vector<T>(ValueGetter<VBuffer<T>> source) : ColumnCache
    {
        private VBuffer<T>[] values = new VBuffer<T>[16];
        private VBuffer<T> scratch;

        public override void Store(int slot)
        {
            if (slot >= values.Length)
                Array.Resize(ref values, Math.Max(slot + 1, values.Length * 2));
            source(ref scratch);
            scratch.CopyTo(ref values[slot]);
        }

        public override Delegate CreateGetter(Func<int> currentSlot) =>
            (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => values[currentSlot()].CopyTo(ref value));
    }
}
