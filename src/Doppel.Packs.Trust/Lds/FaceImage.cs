namespace Doppel.Packs.Trust.Lds;

/// <summary>
/// Renders an obviously synthetic, deterministic portrait (ellipses on a light gradient: shoulders,
/// neck, hair, face, eyes, brows, nose, mouth) into an RGB buffer. Parameters come from the holder's RNG.
/// </summary>
internal static class FaceImage
{
    public const int Width = 240;
    public const int Height = 320;

    private static readonly (byte R, byte G, byte B)[] SkinTones =
    [
        (255, 224, 196), (241, 194, 160), (224, 172, 130), (198, 134, 94), (160, 102, 66), (110, 70, 45), (232, 190, 172),
    ];

    private static readonly (byte R, byte G, byte B)[] HairColours =
    [
        (20, 16, 14), (60, 40, 28), (110, 72, 40), (170, 128, 70), (220, 190, 120), (140, 60, 30), (160, 160, 160),
    ];

    private static readonly (byte R, byte G, byte B)[] EyeColours = [(70, 50, 30), (40, 90, 140), (60, 110, 70), (90, 90, 90)];

    private static readonly (byte R, byte G, byte B)[] Clothes = [(40, 50, 80), (90, 20, 30), (30, 30, 30), (60, 90, 60), (120, 120, 130)];

    public static byte[] Render(ref Rng rng, char sex)
    {
        byte[] px = new byte[Width * Height * 3];
        var bgTop = (R: 200 + rng.Next(40), G: 210 + rng.Next(35), B: 225 + rng.Next(30));
        for (int y = 0; y < Height; y++)
        {
            double t = y / (double)Height;
            byte r = (byte)(bgTop.R - (30 * t));
            byte g = (byte)(bgTop.G - (30 * t));
            byte b = (byte)(bgTop.B - (25 * t));
            int row = y * Width * 3;
            for (int x = 0; x < Width; x++)
            {
                px[row + (3 * x)] = r;
                px[row + (3 * x) + 1] = g;
                px[row + (3 * x) + 2] = b;
            }
        }

        var skin = rng.Pick(SkinTones);
        var hair = rng.Pick(HairColours);
        var eye = rng.Pick(EyeColours);
        var cloth = rng.Pick(Clothes);
        int cx = (Width / 2) + rng.Next(-6, 7);
        int cy = 150 + rng.Next(-8, 9);
        int rx = 58 + rng.Next(0, 12);
        int ry = 76 + rng.Next(0, 12);
        bool longHair = sex == 'F' ? rng.Chance(0.8) : rng.Chance(0.15);

        Ellipse(px, cx, Height + 10, 115, 95, cloth);                      // shoulders
        Ellipse(px, cx, cy + ry, rx / 2, 40, Darken(skin, 0.9));           // neck
        if (longHair)
        {
            Ellipse(px, cx, cy + 20, rx + 16, ry + 30, hair);
        }

        Ellipse(px, cx, cy - 18, rx + 6, ry - 6, hair);                    // hair mass
        Ellipse(px, cx, cy + 6, rx, ry - 4, skin);                         // face
        Ellipse(px, cx - rx + 2, cy + 4, 8, 16, Darken(skin, 0.92));       // ears
        Ellipse(px, cx + rx - 2, cy + 4, 8, 16, Darken(skin, 0.92));
        int eyeY = cy - 6 + rng.Next(-3, 4);
        int eyeDx = 22 + rng.Next(0, 5);
        foreach (int side in (int[])[-1, 1])
        {
            int ex = cx + (side * eyeDx);
            Ellipse(px, ex, eyeY - 14, 13, 3, Darken(hair, 0.8));          // brow
            Ellipse(px, ex, eyeY, 11, 6, (245, 245, 245));                 // sclera
            Ellipse(px, ex, eyeY, 5, 5, eye);                              // iris
            Ellipse(px, ex, eyeY, 2, 2, (10, 10, 10));                     // pupil
        }

        Ellipse(px, cx, cy + 22, 6, 14, Darken(skin, 0.85));               // nose
        Ellipse(px, cx, cy + 48, 18 + rng.Next(0, 6), 5, (150 + rng.Next(40), 60, 60)); // mouth
        return px;
    }

    private static (byte R, byte G, byte B) Darken((byte R, byte G, byte B) c, double f) => ((byte)(c.R * f), (byte)(c.G * f), (byte)(c.B * f));

    private static void Ellipse(byte[] px, int cx, int cy, int rx, int ry, (int R, int G, int B) colour)
    {
        int y0 = Math.Max(0, cy - ry);
        int y1 = Math.Min(Height - 1, cy + ry);
        for (int y = y0; y <= y1; y++)
        {
            double dy = (y - cy) / (double)ry;
            double half = rx * Math.Sqrt(Math.Max(0, 1 - (dy * dy)));
            int x0 = Math.Max(0, (int)Math.Ceiling(cx - half));
            int x1 = Math.Min(Width - 1, (int)Math.Floor(cx + half));
            int row = y * Width * 3;
            for (int x = x0; x <= x1; x++)
            {
                px[row + (3 * x)] = (byte)colour.R;
                px[row + (3 * x) + 1] = (byte)colour.G;
                px[row + (3 * x) + 2] = (byte)colour.B;
            }
        }
    }
}
