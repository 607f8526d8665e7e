using System.Runtime.InteropServices;
using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Imaging;

/// <summary>
/// Draws a small synthetic head-and-shoulders portrait (clearly not a photograph) and encodes
/// it as baseline JPEG with libturbojpeg (Debian package libturbojpeg0). JPEG compression is
/// deterministic for a given library version, so the bytes are a pure function of the seed there.
/// When the library cannot be loaded a fixed minimal JPEG is used instead, and
/// <see cref="UsesLibrary"/> says so.
/// </summary>
internal static class PortraitJpeg
{
    public const int Width = 72;
    public const int Height = 96;
    private const int Quality = 75;

    // An 8x8 mid-grey baseline JPEG (made once with libturbojpeg, quality 75, 4:2:0): the
    // fallback portrait when the library is missing. It is a valid JFIF image.
    private static readonly byte[] Fallback = Convert.FromHexString(FallbackHex);

    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>True when portraits come from libturbojpeg; false when the fixed fallback is used.</summary>
    public static bool UsesLibrary => Available.Value;

    /// <summary>Creates the portrait for a stream of holder randomness.</summary>
    public static byte[] Create(ulong stream)
    {
        if (!Available.Value)
        {
            return (byte[])Fallback.Clone();
        }

        var rgb = Draw(new DetRandom(stream));
        return Compress(rgb, Width, Height);
    }

    /// <summary>True when <paramref name="bytes"/> starts with SOI and ends with EOI (JPEG markers FFD8/FFD9).</summary>
    public static bool LooksLikeJpeg(ReadOnlySpan<byte> bytes) =>
        bytes.Length > 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[^2] == 0xFF && bytes[^1] == 0xD9;

    private static byte[] Draw(DetRandom rng)
    {
        ReadOnlySpan<(byte R, byte G, byte B)> backgrounds = [(222, 230, 240), (235, 235, 225), (220, 238, 228), (240, 226, 226)];
        ReadOnlySpan<(byte R, byte G, byte B)> skins = [(241, 204, 177), (224, 172, 138), (198, 134, 95), (141, 85, 54), (95, 60, 40)];
        ReadOnlySpan<(byte R, byte G, byte B)> hairs = [(30, 25, 20), (90, 60, 30), (170, 130, 70), (120, 120, 120), (200, 170, 110)];
        ReadOnlySpan<(byte R, byte G, byte B)> clothes = [(40, 60, 110), (70, 70, 70), (120, 40, 40), (30, 90, 70)];
        var bg = backgrounds[rng.Next(backgrounds.Length)];
        var skin = skins[rng.Next(skins.Length)];
        var hair = hairs[rng.Next(hairs.Length)];
        var cloth = clothes[rng.Next(clothes.Length)];
        var headRx = rng.Next(17, 21);
        var headRy = rng.Next(23, 27);
        var hairLine = rng.Next(4, 10);

        var rgb = new byte[Width * Height * 3];
        const double cx = Width / 2.0;
        const double cy = 42;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var c = bg;
                var dx = (x - cx) / headRx;
                var dy = (y - cy) / headRy;
                var inHead = (dx * dx) + (dy * dy) <= 1;
                var sx = (x - cx) / 34.0;
                var sy = (y - 104.0) / 28.0;
                if ((sx * sx) + (sy * sy) <= 1)
                {
                    c = cloth;
                }

                if (inHead)
                {
                    c = y < cy - headRy + hairLine + 6 ? hair : skin;
                    var eyeY = cy - 4;
                    if (Near(x, y, cx - 7, eyeY, 2.2) || Near(x, y, cx + 7, eyeY, 2.2))
                    {
                        c = (35, 35, 45);
                    }

                    if (y == (int)(cy + 12) && Math.Abs(x - cx) < 6)
                    {
                        c = (150, 70, 70);
                    }
                }

                var i = ((y * Width) + x) * 3;
                rgb[i] = c.R;
                rgb[i + 1] = c.G;
                rgb[i + 2] = c.B;
            }
        }

        return rgb;
    }

    private static bool Near(int x, int y, double px, double py, double r) => ((x - px) * (x - px)) + ((y - py) * (y - py)) <= r * r;

    private static byte[] Compress(byte[] rgb, int width, int height)
    {
        var handle = NativeMethods.tjInitCompress();
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("libturbojpeg: tjInitCompress failed.");
        }

        var buffer = IntPtr.Zero;
        try
        {
            var size = new CULong(0);
            if (NativeMethods.tjCompress2(handle, rgb, width, 0, height, NativeMethods.PixelFormatRgb, ref buffer, ref size, NativeMethods.Subsampling420, Quality, 0) != 0)
            {
                throw new InvalidOperationException("libturbojpeg: " + Marshal.PtrToStringUTF8(NativeMethods.tjGetErrorStr2(handle)));
            }

            var jpeg = new byte[checked((int)size.Value)];
            Marshal.Copy(buffer, jpeg, 0, jpeg.Length);
            return jpeg;
        }
        finally
        {
            if (buffer != IntPtr.Zero)
            {
                NativeMethods.tjFree(buffer);
            }

            _ = NativeMethods.tjDestroy(handle);
        }
    }

    private static bool Probe()
    {
        try
        {
            var jpeg = Compress(new byte[8 * 8 * 3], 8, 8);
            return LooksLikeJpeg(jpeg);
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const string FallbackHex =
        "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20" +
        "242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffdb0043010909090c0b0c180d0d1832211c21323232323232323232323232" +
        "3232323232323232323232323232323232323232323232323232323232323232323232323232ffc00011080008000803012200021101031101ffc400" +
        "1f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221" +
        "31410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a53545556" +
        "5758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6" +
        "c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405" +
        "060708090a0bffc400b51100020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f015" +
        "6272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a828384" +
        "85868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9ea" +
        "f2f3f4f5f6f7f8f9faffda000c03010002110311003f0028a28a00ffd9";

    private static class NativeMethods
    {
        public const int PixelFormatRgb = 0;
        public const int Subsampling420 = 2;
        private const string Library = "libturbojpeg.so.0";

        [DllImport(Library)]
        public static extern IntPtr tjInitCompress();

        [DllImport(Library)]
        public static extern int tjCompress2(IntPtr handle, byte[] srcBuf, int width, int pitch, int height, int pixelFormat, ref IntPtr jpegBuf, ref CULong jpegSize, int jpegSubsamp, int jpegQual, int flags);

        [DllImport(Library)]
        public static extern void tjFree(IntPtr buffer);

        [DllImport(Library)]
        public static extern int tjDestroy(IntPtr handle);

        [DllImport(Library)]
        public static extern IntPtr tjGetErrorStr2(IntPtr handle);
    }
}
