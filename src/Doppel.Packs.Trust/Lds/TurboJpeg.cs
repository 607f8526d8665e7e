using System.Runtime.InteropServices;

namespace Doppel.Packs.Trust.Lds;

/// <summary>
/// JPEG encoding through the system's libjpeg-turbo (TurboJPEG API, package libturbojpeg0): .NET has
/// no JPEG encoder. Output is deterministic for identical pixels and settings.
/// </summary>
internal static partial class TurboJpeg
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0; // TJPF_RGB
    private const int Subsampling420 = 2; // TJSAMP_420

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint tjInitCompress();

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int tjCompress2(nint handle, byte[] source, int width, int pitch, int height, int pixelFormat, ref nint jpegBuffer, ref CULong jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial void tjFree(nint buffer);

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int tjDestroy(nint handle);

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint tjGetErrorStr2(nint handle);

    /// <summary>Encodes packed RGB24 pixels as a baseline JPEG (4:2:0).</summary>
    public static byte[] EncodeRgb(byte[] rgb, int width, int height, int quality)
    {
        nint handle;
        try
        {
            handle = tjInitCompress();
        }
        catch (DllNotFoundException e)
        {
            throw new TrustException("libturbojpeg.so.0 was not found: install the package libturbojpeg0 (needed to encode DG2 face images).", e);
        }

        if (handle == 0)
        {
            throw new TrustException("libturbojpeg could not create a compressor.");
        }

        nint buffer = 0;
        try
        {
            var size = new CULong(0);
            if (tjCompress2(handle, rgb, width, width * 3, height, PixelFormatRgb, ref buffer, ref size, Subsampling420, quality, 0) != 0)
            {
                string message = Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown error";
                throw new TrustException("libturbojpeg failed to encode a face image: " + message);
            }

            byte[] jpeg = new byte[(int)size.Value];
            Marshal.Copy(buffer, jpeg, 0, jpeg.Length);
            return jpeg;
        }
        finally
        {
            if (buffer != 0)
            {
                tjFree(buffer);
            }

            _ = tjDestroy(handle);
        }
    }
}
