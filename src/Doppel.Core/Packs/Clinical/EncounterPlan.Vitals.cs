using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary>Vital signs: a trajectory from the scenario's presentation back to the patient's baseline.</summary>
public sealed partial class EncounterPlan
{
    private const int Hr = 0, Rr = 1, Sbp = 2, Dbp = 3, Spo2 = 4, Temp = 5, VitalKinds = 6;

    // On arrival (x0, within the §8.3 ranges) and the patient's own baseline (xb, what they recover to).
    private readonly double[] _x0 = new double[VitalKinds];
    private readonly double[] _xb = new double[VitalKinds];
    private bool _needsOxygen;
    private char _acvpu0;
    private bool _acvpuPersists;

    private readonly long[] _vTime = new long[EncounterModel.MaxVitals];
    private readonly int[] _vHr = new int[EncounterModel.MaxVitals];
    private readonly int[] _vRr = new int[EncounterModel.MaxVitals];
    private readonly int[] _vSbp = new int[EncounterModel.MaxVitals];
    private readonly int[] _vDbp = new int[EncounterModel.MaxVitals];
    private readonly int[] _vSpo2 = new int[EncounterModel.MaxVitals];
    private readonly bool[] _vO2 = new bool[EncounterModel.MaxVitals];
    private readonly double[] _vTemp = new double[EncounterModel.MaxVitals];
    private readonly char[] _vAcvpu = new char[EncounterModel.MaxVitals];
    private readonly int[] _vNews = new int[EncounterModel.MaxVitals];
    private readonly string[] _vRisk = new string[EncounterModel.MaxVitals];

    public int VitalCount { get; private set; }

    public long VitalTime(int k) => _vTime[k];

    public int HeartRate(int k) => _vHr[k];

    public int RespRate(int k) => _vRr[k];

    public int SystolicBp(int k) => _vSbp[k];

    public int DiastolicBp(int k) => _vDbp[k];

    public int SpO2(int k) => _vSpo2[k];

    public bool OnOxygen(int k) => _vO2[k];

    /// <summary>°C, one decimal.</summary>
    public double Temperature(int k) => _vTemp[k];

    /// <summary>ACVPU letter.</summary>
    public char Consciousness(int k) => _vAcvpu[k];

    public int News2Total(int k) => _vNews[k];

    public string News2Risk(int k) => _vRisk[k];

    /// <summary>The observation set at ordinal <paramref name="k"/> as NEWS2 sees it.</summary>
    public News2Observation Observation(int k) => new(_vRr[k], _vSpo2[k], _vO2[k], _vSbp[k], _vHr[k], _vAcvpu[k], _vTemp[k], Scale2);

    /// <summary>Index of the last observation at or before <paramref name="time"/>, or -1.</summary>
    public int LastVitalAtOrBefore(long time)
    {
        var k = -1;
        while (k + 1 < VitalCount && _vTime[k + 1] <= time)
        {
            k++;
        }

        return k;
    }

    /// <summary>Infection overlay 0…1 at <paramref name="hours"/> after admission: ramps up over 3 h from onset, then resolves with antibiotics.</summary>
    public double InfectionAt(double hours)
    {
        if (!Complication || hours < ComplicationOnsetHours)
        {
            return 0;
        }

        var since = hours - ComplicationOnsetHours;
        return Math.Min(1, since / 3) * Math.Exp(-Math.Max(0, since - 8) / 20);
    }

    private void SetUpVitals(ref Rng rng)
    {
        var s = Severity;
        // How far into its range a value sits: mostly severity, partly chance.
        double W(ref Rng r) => Math.Clamp((0.6 * s) + (0.4 * r.NextDouble()), 0, 1);
        static double Lerp(double from, double to, double w) => from + ((to - from) * w);

        // Healthy baseline (§8.1 generator defaults).
        _xb[Hr] = Math.Clamp(72 + (10 * rng.NextGaussian()), 55, 95);
        _xb[Rr] = Math.Clamp(15 + (2 * rng.NextGaussian()), 12, 20);
        _xb[Sbp] = Math.Clamp(122 + (12 * rng.NextGaussian()), 100, 160);
        _xb[Dbp] = Math.Clamp(76 + (8 * rng.NextGaussian()), 55, 95);
        _xb[Spo2] = 95 + (5 * Math.Sqrt(rng.NextDouble()));
        _xb[Temp] = Math.Clamp(36.8 + (0.3 * rng.NextGaussian()), 36.2, 37.5);
        Array.Copy(_xb, _x0, VitalKinds);
        _needsOxygen = false;
        _acvpu0 = 'A';
        _acvpuPersists = false;
        var u = rng.NextDouble();
        switch (Scenario)
        {
            case Scenario.Sepsis:
                _x0[Rr] = Lerp(22, 30, W(ref rng));
                _x0[Hr] = Lerp(100, 130, W(ref rng));
                _x0[Sbp] = Lerp(100, 80, W(ref rng));
                _x0[Dbp] = Lerp(65, 45, W(ref rng));
                _x0[Temp] = u < 0.9 ? Lerp(38.1, 39.6, W(ref rng)) : Lerp(35.9, 35.2, W(ref rng));
                _x0[Spo2] = Lerp(95, 90, W(ref rng));
                _acvpu0 = rng.NextDouble() < 0.15 + (0.25 * s) ? 'C' : 'A';
                _needsOxygen = _x0[Spo2] < 94.5;
                break;
            case Scenario.AcuteCoronarySyndrome:
                _x0[Hr] = Lerp(80, 110, W(ref rng));
                _x0[Sbp] = Lerp(130, 170, W(ref rng));
                _x0[Dbp] = Lerp(80, 100, W(ref rng));
                _x0[Rr] = Lerp(16, 22, W(ref rng));
                _x0[Spo2] = Lerp(98, 94, W(ref rng));
                _x0[Temp] = Lerp(36.4, 37.4, rng.NextDouble());
                _needsOxygen = _x0[Spo2] < 94.5;
                break;
            case Scenario.CopdExacerbation:
                _xb[Spo2] = 90 + (4 * rng.NextDouble());
                _xb[Rr] = 16 + (4 * rng.NextDouble());
                _x0[Rr] = Lerp(22, 30, W(ref rng));
                _x0[Spo2] = Lerp(92, 86, W(ref rng));
                _x0[Hr] = Lerp(95, 115, W(ref rng));
                _x0[Temp] = Lerp(36.5, 38.0, W(ref rng));
                _x0[Sbp] = Lerp(120, 150, rng.NextDouble());
                _x0[Dbp] = Lerp(70, 90, rng.NextDouble());
                _needsOxygen = true; // controlled oxygen to the 88–92 % target
                break;
            case Scenario.Dka:
                _x0[Rr] = Lerp(25, 35, W(ref rng));
                _x0[Hr] = Lerp(100, 130, W(ref rng));
                _x0[Sbp] = Lerp(115, 90, W(ref rng));
                _x0[Dbp] = Lerp(75, 55, W(ref rng));
                _x0[Spo2] = Lerp(97, 99, rng.NextDouble());
                _x0[Temp] = Lerp(36.0, 37.5, rng.NextDouble());
                _acvpu0 = u < 0.15 ? 'V' : u < 0.25 ? 'C' : 'A';
                break;
            case Scenario.Stroke:
                _xb[Sbp] = 130 + (30 * rng.NextDouble());
                _x0[Sbp] = Lerp(160, 200, W(ref rng));
                _x0[Dbp] = Lerp(90, 110, W(ref rng));
                _x0[Hr] = Lerp(60, 100, rng.NextDouble());
                _x0[Rr] = Lerp(14, 20, rng.NextDouble());
                _x0[Spo2] = Lerp(95, 99, rng.NextDouble());
                _x0[Temp] = Lerp(36.2, 37.4, rng.NextDouble());
                _acvpu0 = u < 0.35 ? 'C' : u < 0.45 ? 'V' : 'A';
                _acvpuPersists = rng.NextDouble() < 0.3;
                break;
            default:
                break;
        }
    }

    private void ComputeVitals()
    {
        var model = Model!;
        var h0Rng = SeedTree.Cell(model.VitalSeed, Row);
        // Triage observations 5–20 minutes after arrival.
        var t = Math.Min(DischargeTime, AdmitTime + h0Rng.NextLong(5 * EncounterModel.Minute, 20 * EncounterModel.Minute) / 1_000_000 * 1_000_000);
        var k = 0;
        var vitalRowSeed = SeedTree.Combine(model.VitalSeed, (ulong)Row);
        while (true)
        {
            var rng = SeedTree.Cell(vitalRowSeed, k);
            ObservationAt(k, t, ref rng);
            k++;
            if (k == EncounterModel.MaxVitals)
            {
                break;
            }

            // The next set is due sooner the sicker the patient (RCP NEWS2 monitoring frequency).
            var news = _vNews[k - 1];
            var hours = (t - AdmitTime) / (double)EncounterModel.Hour;
            var minutes = news >= 7 ? 30 : news >= 5 || _vRisk[k - 1] == News2.LowMedium ? 60 : news >= 1 || hours < 24 ? 240 : 720;
            // Triage acuity sets a floor on frequency whatever the score (a category 1 patient stays on close obs).
            minutes = Math.Min(minutes, Acuity switch
            {
                1 => hours < 48 ? 120 : 240,
                2 => 240,
                3 => 360,
                _ => 720,
            });
            var jittered = (long)(minutes * (0.85 + (0.3 * rng.NextDouble())) * 60) * 1_000_000L;
            t += jittered;
            if (t > DischargeTime)
            {
                break;
            }
        }

        VitalCount = k;
    }

    private void ObservationAt(int k, long time, ref Rng rng)
    {
        var h = (time - AdmitTime) / (double)EncounterModel.Hour;
        // The arrival set is the presentation itself (inside the §8.3 ranges); later sets relax towards baseline.
        var r = k == 0 ? 1 : Math.Exp(-h / Tau);
        var o = k == 0 ? 0 : InfectionAt(h);
        var noisy = k > 0;
        double V(int kind, double infection, double sd, ref Rng g)
        {
            var v = _xb[kind] + ((_x0[kind] - _xb[kind]) * r) + infection;
            return noisy ? v + (sd * g.NextGaussian()) : v;
        }

        var hr = V(Hr, 30 * o, 3, ref rng);
        var rr = V(Rr, 6 * o, 1.2, ref rng);
        var sbp = V(Sbp, -14 * o, 5, ref rng);
        var dbp = V(Dbp, -6 * o, 4, ref rng);
        var spo2 = V(Spo2, -3 * o, 0.8, ref rng);
        var temp = V(Temp, 1.8 * o, 0.12, ref rng);
        var iHr = (int)Math.Clamp(Math.Round(hr, MidpointRounding.AwayFromZero), 30, 180);
        var iRr = (int)Math.Clamp(Math.Round(rr, MidpointRounding.AwayFromZero), 6, 45);
        var iSbp = (int)Math.Clamp(Math.Round(sbp, MidpointRounding.AwayFromZero), 60, 240);
        var iDbp = (int)Math.Clamp(Math.Round(dbp, MidpointRounding.AwayFromZero), 30, Math.Min(140, iSbp - 21));
        var iSpo2 = (int)Math.Clamp(Math.Round(spo2, MidpointRounding.AwayFromZero), 70, 100);
        var dTemp = Math.Clamp(Math.Round(temp, 1, MidpointRounding.AwayFromZero), 33.0, 41.5);
        // Oxygen is weaned as the patient recovers; an infection that drops saturations restarts it.
        var o2 = (_needsOxygen && r > (Scale2 ? 0.25 : 0.35)) || (o > 0.5 && iSpo2 < 94);
        var acvpu = k == 0 || _acvpuPersists || r > 0.5 ? _acvpu0 : 'A';
        if (o > 0.6 && Age >= 75 && acvpu == 'A')
        {
            acvpu = 'C'; // delirium with infection in the elderly
        }

        _vTime[k] = time;
        _vHr[k] = iHr;
        _vRr[k] = iRr;
        _vSbp[k] = iSbp;
        _vDbp[k] = iDbp;
        _vSpo2[k] = iSpo2;
        _vO2[k] = o2;
        _vTemp[k] = dTemp;
        _vAcvpu[k] = acvpu;
        var score = News2.Score(new News2Observation(iRr, iSpo2, o2, iSbp, iHr, acvpu, dTemp, Scale2));
        _vNews[k] = score.Total;
        _vRisk[k] = score.Risk;
    }
}
