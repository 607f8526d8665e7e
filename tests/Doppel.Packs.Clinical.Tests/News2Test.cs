using Doppel.Packs.Clinical;

namespace Doppel.Packs.Clinical.Tests;

/// <summary>NEWS2 against the computed vectors of domain-reference §8.5 and the boundary list below them.</summary>
public class News2Test
{
    public static IEnumerable<object[]> Vectors =>
    [
        ["healthy", 16, 98, false, 122, 72, 'A', 36.8, false, "0,0,0,0,0,0,0", 0, "low"],
        ["upper 0-band edges", 20, 96, false, 111, 90, 'A', 38.0, false, "0,0,0,0,0,0,0", 0, "low"],
        ["edges + 1 step", 21, 95, false, 110, 91, 'A', 38.1, false, "2,1,0,1,1,0,1", 6, "medium"],
        ["sepsis", 26, 91, true, 92, 118, 'C', 38.9, false, "3,3,2,2,2,3,1", 16, "high"],
        ["chest pain / ACS", 20, 95, false, 150, 102, 'A', 36.9, false, "0,1,0,0,1,0,0", 2, "low"],
        ["COPD, on target", 24, 89, true, 135, 105, 'A', 37.4, true, "2,0,2,0,1,0,0", 5, "medium"],
        ["COPD, over-oxygenated", 24, 97, true, 135, 105, 'A', 37.4, true, "2,3,2,0,1,0,0", 8, "high"],
        ["COPD wrongly scored on Scale 1", 24, 89, true, 135, 105, 'A', 37.4, false, "2,3,2,0,1,0,0", 8, "high"],
        ["DKA", 28, 97, false, 104, 122, 'V', 36.2, false, "3,0,0,1,2,3,0", 9, "high"],
        ["stroke (new confusion)", 18, 96, false, 188, 88, 'C', 36.7, false, "0,0,0,0,0,3,0", 3, "low-medium"],
        ["single red score only", 8, 97, false, 125, 70, 'A', 37.0, false, "3,0,0,0,0,0,0", 3, "low-medium"],
        ["maximum", 5, 80, true, 80, 150, 'U', 34.0, false, "3,3,2,3,3,3,3", 20, "high"],
    ];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Section_8_5_vectors_give_the_published_sub_scores_total_and_risk(string name, int rr, int spo2, bool o2, int sbp, int hr, char acvpu, double temp, bool scale2, string subScores, int total, string risk)
    {
        var s = News2.Score(new News2Observation(rr, spo2, o2, sbp, hr, acvpu, temp, scale2));

        string.Join(',', s.RespRate, s.SpO2, s.Oxygen, s.SystolicBp, s.Pulse, s.Consciousness, s.Temperature).Should().Be(subScores, name);
        s.Total.Should().Be(total, name);
        s.Risk.Should().Be(risk, name);
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(9, 1)]
    [InlineData(11, 1)]
    [InlineData(12, 0)]
    [InlineData(20, 0)]
    [InlineData(21, 2)]
    [InlineData(24, 2)]
    [InlineData(25, 3)]
    public void Respiration_rate_boundaries(int rr, int score) => News2.RespRate(rr).Should().Be(score);

    [Theory]
    [InlineData(91, 3)]
    [InlineData(92, 2)]
    [InlineData(93, 2)]
    [InlineData(94, 1)]
    [InlineData(95, 1)]
    [InlineData(96, 0)]
    public void Spo2_scale_1_boundaries(int spo2, int score) => News2.SpO2Scale1(spo2).Should().Be(score);

    [Theory]
    [InlineData(83, false, 3)]
    [InlineData(84, false, 2)]
    [InlineData(86, false, 1)]
    [InlineData(88, true, 0)]
    [InlineData(92, true, 0)]
    [InlineData(93, false, 0)]
    [InlineData(93, true, 1)]
    [InlineData(95, true, 2)]
    [InlineData(97, true, 3)]
    [InlineData(99, false, 0)]
    public void Spo2_scale_2_scores_high_saturations_only_on_oxygen(int spo2, bool onOxygen, int score) => News2.SpO2Scale2(spo2, onOxygen).Should().Be(score);

    [Theory]
    [InlineData(90, 3)]
    [InlineData(91, 2)]
    [InlineData(100, 2)]
    [InlineData(101, 1)]
    [InlineData(110, 1)]
    [InlineData(111, 0)]
    [InlineData(219, 0)]
    [InlineData(220, 3)]
    public void Systolic_pressure_boundaries(int sbp, int score) => News2.SystolicBp(sbp).Should().Be(score);

    [Theory]
    [InlineData(40, 3)]
    [InlineData(41, 1)]
    [InlineData(50, 1)]
    [InlineData(51, 0)]
    [InlineData(90, 0)]
    [InlineData(91, 1)]
    [InlineData(110, 1)]
    [InlineData(111, 2)]
    [InlineData(130, 2)]
    [InlineData(131, 3)]
    public void Pulse_boundaries(int hr, int score) => News2.Pulse(hr).Should().Be(score);

    [Theory]
    [InlineData(35.0, 3)]
    [InlineData(35.1, 1)]
    [InlineData(36.0, 1)]
    [InlineData(36.1, 0)]
    [InlineData(38.0, 0)]
    [InlineData(38.1, 1)]
    [InlineData(39.0, 1)]
    [InlineData(39.1, 2)]
    public void Temperature_boundaries_score_the_value_rounded_half_up_to_a_tenth(double celsius, int score) => News2.Temperature(celsius).Should().Be(score);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_oxygen_flag_adds_two_on_either_scale(bool scale2)
    {
        var air = News2.Score(new News2Observation(16, 90, false, 130, 80, 'A', 37.0, scale2));
        var oxygen = News2.Score(new News2Observation(16, 90, true, 130, 80, 'A', 37.0, scale2));

        air.Oxygen.Should().Be(0);
        oxygen.Oxygen.Should().Be(2);
        (oxygen.Total - air.Total).Should().Be(2);
    }
}
