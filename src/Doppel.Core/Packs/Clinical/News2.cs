namespace Doppel.Packs.Clinical;

/// <summary>
/// One set of observations as NEWS2 scores it (integers for RR, SpO₂, SBP and pulse; temperature to 0.1 °C).
/// <c>Consciousness</c> is the ACVPU letter: A (alert), C (new confusion), V (voice), P (pain), U (unresponsive).
/// <c>Scale2</c> selects SpO₂ Scale 2: only for patients with a documented 88–92 % target (hypercapnic respiratory failure).
/// </summary>
public readonly record struct News2Observation(int RespRate, int SpO2, bool OnOxygen, int SystolicBp, int Pulse, char Consciousness, double Temperature, bool Scale2 = false);

/// <summary>The seven NEWS2 sub-scores (domain-reference §8.4 order: RR, SpO₂, air/O₂, SBP, pulse, consciousness, temperature).</summary>
public readonly record struct News2Score(int RespRate, int SpO2, int Oxygen, int SystolicBp, int Pulse, int Consciousness, int Temperature)
{
    /// <summary>The aggregate score, 0–20.</summary>
    public int Total => RespRate + SpO2 + Oxygen + SystolicBp + Pulse + Consciousness + Temperature;

    /// <summary>True when any single parameter scores 3 (the RCP "red score" trigger).</summary>
    public bool HasRedScore => RespRate == 3 || SpO2 == 3 || SystolicBp == 3 || Pulse == 3 || Consciousness == 3 || Temperature == 3;

    /// <summary>Clinical risk (§8.4): <c>high</c> (≥ 7), <c>medium</c> (5–6), <c>low-medium</c> (a single 3 with aggregate &lt; 5), else <c>low</c>.</summary>
    public string Risk => Total >= 7 ? News2.High : Total >= 5 ? News2.Medium : HasRedScore ? News2.LowMedium : News2.Low;
}

/// <summary>
/// National Early Warning Score 2 (Royal College of Physicians, 2017), Chart 1 with SpO₂ Scales 1 and 2
/// (domain-reference §8.4; test vectors §8.5).
/// </summary>
public static class News2
{
    public const string Low = "low";
    public const string LowMedium = "low-medium";
    public const string Medium = "medium";
    public const string High = "high";

    /// <summary>The risk bands in rising order.</summary>
    public static readonly IReadOnlyList<string> RiskBands = [Low, LowMedium, Medium, High];

    /// <summary>Scores one observation set.</summary>
    public static News2Score Score(in News2Observation o) => new(
        RespRate(o.RespRate),
        o.Scale2 ? SpO2Scale2(o.SpO2, o.OnOxygen) : SpO2Scale1(o.SpO2),
        o.OnOxygen ? 2 : 0,
        SystolicBp(o.SystolicBp),
        Pulse(o.Pulse),
        o.Consciousness is 'A' ? 0 : 3,
        Temperature(o.Temperature));

    public static int RespRate(int rr) => rr switch
    {
        <= 8 => 3,
        <= 11 => 1,
        <= 20 => 0,
        <= 24 => 2,
        _ => 3,
    };

    public static int SpO2Scale1(int spo2) => spo2 switch
    {
        <= 91 => 3,
        <= 93 => 2,
        <= 95 => 1,
        _ => 0,
    };

    /// <summary>Scale 2: 88–92 % scores 0, and so does ≥ 93 % on air; on oxygen 93–94 / 95–96 / ≥ 97 score 1 / 2 / 3.</summary>
    public static int SpO2Scale2(int spo2, bool onOxygen) => spo2 switch
    {
        <= 83 => 3,
        <= 85 => 2,
        <= 87 => 1,
        <= 92 => 0,
        _ when !onOxygen => 0,
        <= 94 => 1,
        <= 96 => 2,
        _ => 3,
    };

    public static int SystolicBp(int sbp) => sbp switch
    {
        <= 90 => 3,
        <= 100 => 2,
        <= 110 => 1,
        <= 219 => 0,
        _ => 3,
    };

    public static int Pulse(int hr) => hr switch
    {
        <= 40 => 3,
        <= 50 => 1,
        <= 90 => 0,
        <= 110 => 1,
        <= 130 => 2,
        _ => 3,
    };

    /// <summary>Temperature is scored on its value rounded half-up to 0.1 °C (§8.4 implementation rules).</summary>
    public static int Temperature(double celsius)
    {
        var tenths = (long)Math.Round(celsius * 10, MidpointRounding.AwayFromZero);
        return tenths switch
        {
            <= 350 => 3,
            <= 360 => 1,
            <= 380 => 0,
            <= 390 => 1,
            _ => 2,
        };
    }
}
