namespace Doppel.Packs.Trust.Lds;

/// <summary>
/// Minimal BER-TLV writer/reader for LDS data objects. The LDS uses tags such as 5F01 (application 1
/// in high-tag-number form) that a DER writer would encode differently, so tags are given as raw bytes.
/// </summary>
internal static class Tlv
{
    public static byte[] Build(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> value)
    {
        int lengthBytes = value.Length < 0x80 ? 1 : value.Length <= 0xFF ? 2 : value.Length <= 0xFFFF ? 3 : 4;
        byte[] result = new byte[tag.Length + lengthBytes + value.Length];
        tag.CopyTo(result);
        int o = tag.Length;
        switch (lengthBytes)
        {
            case 1:
                result[o] = (byte)value.Length;
                break;
            case 2:
                result[o] = 0x81;
                result[o + 1] = (byte)value.Length;
                break;
            case 3:
                result[o] = 0x82;
                result[o + 1] = (byte)(value.Length >> 8);
                result[o + 2] = (byte)value.Length;
                break;
            default:
                result[o] = 0x83;
                result[o + 1] = (byte)(value.Length >> 16);
                result[o + 2] = (byte)(value.Length >> 8);
                result[o + 3] = (byte)value.Length;
                break;
        }

        value.CopyTo(result.AsSpan(o + lengthBytes));
        return result;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        byte[] result = new byte[parts.Sum(p => p.Length)];
        int o = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(result, o);
            o += part.Length;
        }

        return result;
    }

    /// <summary>Reads one TLV at the start of <paramref name="data"/>: the tag bytes, the value and the total length used.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out int tag, out ReadOnlySpan<byte> value, out int consumed)
    {
        tag = 0;
        value = default;
        consumed = 0;
        if (data.Length < 2)
        {
            return false;
        }

        int i = 0;
        tag = data[i++];
        if ((tag & 0x1F) == 0x1F)
        {
            do
            {
                if (i >= data.Length)
                {
                    return false;
                }

                tag = (tag << 8) | data[i];
            }
            while ((data[i++] & 0x80) != 0);
        }

        if (i >= data.Length)
        {
            return false;
        }

        int length = data[i++];
        if (length > 0x80)
        {
            int n = length & 0x7F;
            if (n > 3 || i + n > data.Length)
            {
                return false;
            }

            length = 0;
            for (int k = 0; k < n; k++)
            {
                length = (length << 8) | data[i++];
            }
        }
        else if (length == 0x80)
        {
            return false; // indefinite length is not allowed in the LDS
        }

        if (i + length > data.Length)
        {
            return false;
        }

        value = data.Slice(i, length);
        consumed = i + length;
        return true;
    }
}
