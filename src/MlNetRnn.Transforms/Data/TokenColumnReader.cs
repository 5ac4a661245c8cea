using System.Numerics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Reads the current row's token vector into a <see cref="TokenWindow"/>, turning keys into ids and refusing ids the model
/// cannot take, with the row and column in the message. Created once per cursor (one reflection call), then allocation-free.
/// </summary>
internal abstract class TokenColumnReader
{
    private static readonly MethodInfo CreateTyped = typeof(TokenColumnReader).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Appends the current row's ids to <paramref name="window"/>.</summary>
    /// <param name="window">The window to append to.</param>
    /// <param name="rowIndex">The row's index in the input, for messages.</param>
    public abstract void Read(TokenWindow window, long rowIndex);

    /// <summary>Whether the reader takes vectors of this item type (the token column's rule, see <see cref="RnnSchema"/>).</summary>
    public static bool IsIdItemType(DataViewType itemType) =>
        itemType is KeyDataViewType
        || (itemType is NumberDataViewType && itemType.RawType is var raw
            && (raw == typeof(long) || raw == typeof(int) || raw == typeof(uint) || raw == typeof(short) || raw == typeof(ushort)
                || raw == typeof(sbyte) || raw == typeof(byte) || raw == typeof(ulong)));

    public static TokenColumnReader Create(DataViewRow row, DataViewSchema.Column column, TokenRules rules)
    {
        var itemType = ((VectorDataViewType)column.Type).ItemType;
        return (TokenColumnReader)CreateTyped.MakeGenericMethod(itemType.RawType).Invoke(null, [row, column, rules])!;
    }

    private static TokenColumnReader Create<T>(DataViewRow row, DataViewSchema.Column column, TokenRules rules)
        where T : unmanaged, IBinaryInteger<T> =>
        new Typed<T>(row.GetGetter<VBuffer<T>>(column), rules);

    private sealed class Typed<T>(ValueGetter<VBuffer<T>> getter, TokenRules rules) : TokenColumnReader
        where T : unmanaged, IBinaryInteger<T>
    {
        private VBuffer<T> buffer;

        public override void Read(TokenWindow window, long rowIndex)
        {
            getter(ref buffer);
            var ids = window.AppendRow(buffer.Length);
            var values = buffer.GetValues();
            if (buffer.IsDense)
            {
                for (int i = 0; i < values.Length; i++)
                    ids[i] = rules.ToId(long.CreateSaturating(values[i]), i, rowIndex);
                return;
            }

            // Sparse: every implicit zero is checked at its own position, exactly as the saved chain sees the dense row.
            var indices = buffer.GetIndices();
            for (int i = 0, k = 0; i < ids.Length; i++)
            {
                T value = k < indices.Length && indices[k] == i ? values[k++] : T.Zero;
                ids[i] = rules.ToId(long.CreateSaturating(value), i, rowIndex);
            }
        }
    }
}
