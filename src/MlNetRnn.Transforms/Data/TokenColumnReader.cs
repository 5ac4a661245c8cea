using System.Globalization;
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

    /// <summary>Describes why a column type cannot hold token ids, or returns null when it can.</summary>
    public static string? Check(DataViewType type)
    {
        if (type is not VectorDataViewType vector)
            return "expected a vector of token ids (a key type, or UInt32, Int32 or Int64)";
        return IsIdItemType(vector.ItemType) ? null : "expected a vector of token ids (a key type, or UInt32, Int32 or Int64)";
    }

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
                    ids[i] = ToId(values[i], i, rowIndex);
                return;
            }

            if (ids.Length > 0)
                ids.Fill(ToId(T.Zero, -1, rowIndex));
            var indices = buffer.GetIndices();
            for (int i = 0; i < values.Length; i++)
                ids[indices[i]] = ToId(values[i], indices[i], rowIndex);
        }

        private long ToId(T value, int position, long rowIndex)
        {
            long id = long.CreateSaturating(value);
            if (rules.IsKey && id == 0)
            {
                if (rules.UnkId < 0)
                    throw Bad(rowIndex, position, "key 0 (a missing value), but the model has no unknown-token id to read it as");
                return rules.UnkId;
            }

            if (id < 0)
                throw Bad(rowIndex, position, $"the negative id {value}");
            if (rules.VocabSize > 0 && id >= rules.VocabSize)
            {
                string what = rules.IsKey ? $"key {value} (id {id})" : $"id {value}";
                throw Bad(rowIndex, position, $"{what}, but the model's vocabulary has ids 0…{rules.VocabSize - 1}");
            }

            return id;
        }

        private InvalidDataException Bad(long rowIndex, int position, string what) =>
            new(string.Create(CultureInfo.InvariantCulture,
                $"Row {rowIndex}, column '{rules.ColumnName}'{(position >= 0 ? $", token {position}" : string.Empty)}: {what}."));
    }
}
