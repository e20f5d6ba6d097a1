"""Progress status, score and projection against values computed by hand from the spec."""

import pytest

from ioc57.indicators.progress import progress


def test_on_track_with_a_target():
    # 40% in 2020, 60% in 2024, target 80% in 2030:
    # CAGR_o = (60/40)^(1/4) - 1 = 0.106682; CAGR_r = (80/40)^(1/10) - 1 = 0.071773; R = 1.48638
    p = progress({2020: 40, 2024: 60}, "positive", 80, 2030)
    assert p.status == "on_track"
    assert p.observed_growth == pytest.approx(0.106682, abs=1e-6)
    assert p.required_growth == pytest.approx(0.071773, abs=1e-6)
    assert p.ratio == pytest.approx(1.48638, abs=1e-4)
    assert p.score == 5.0  # 7.1429 × 1.486 − 4.2857 = 6.33, capped at 5
    # projected to 2030: 60 × 1.106682^6 = 110.23; 80 is reached in 2027 (60 × 1.106682^3 = 81.3)
    assert p.projected_value == pytest.approx(110.23, abs=0.01)
    assert p.projected_year == 2027


def test_needs_acceleration_and_its_score():
    # 50 → 55 over 2020..2024, target 80 in 2030:
    # CAGR_o = 1.1^(1/4) - 1 = 0.024114; CAGR_r = 1.6^(1/10) - 1 = 0.048122; R = 0.501093 → limited
    p = progress({2020: 50, 2022: 52, 2024: 55}, "positive", 80, 2030)
    assert p.ratio == pytest.approx(0.501093, abs=1e-5)
    assert p.status == "limited_progress"
    assert p.score == pytest.approx(4.1667 * 0.501093 - 2.5, abs=1e-4)  # -0.412
    # 50 → 60: CAGR_o = 1.2^(1/4) - 1 = 0.046635; R = 0.969098 → on_track; 50 → 58: R = 0.78095
    assert progress({2020: 50, 2024: 60}, "positive", 80, 2030).status == "on_track"
    p = progress({2020: 50, 2024: 58}, "positive", 80, 2030)
    assert p.status == "needs_acceleration"
    assert p.score == pytest.approx(7.1429 * p.ratio - 4.2857, abs=1e-4)


def test_deterioration_for_a_negative_direction():
    # a rank (lower is better) that went from 9 to 25: CAGR_o = (25/9)^(1/4) - 1 = 0.29099, d = -1
    p = progress({2020: 9, 2024: 25}, "negative", 5, 2030)
    assert p.status == "deterioration"
    assert p.score == -5.0  # 4.1667 × R − 2.5 with R ≈ −2.3, floored
    assert p.projected_year is None  # getting worse never reaches the target


def test_target_achieved():
    assert progress({2021: 70, 2024: 85}, "positive", 80, 2030).status == "target_achieved"
    assert progress({2021: 30, 2024: 20}, "negative", 25, 2030).status == "target_achieved"


def test_without_a_target():
    # v = CAGR_o: 100 → 110 over 4 years = 0.024114 ≥ 0.015
    assert progress({2020: 100, 2024: 110}).status == "on_track"
    assert progress({2020: 100, 2024: 103}).status == "needs_acceleration"  # 0.00742
    assert progress({2020: 100, 2024: 101}).status == "limited_progress"  # 0.00249
    assert progress({2020: 100, 2024: 90}).status == "deterioration"
    assert progress({2020: 100, 2024: 90}, "negative").status == "on_track"


def test_not_available():
    assert progress({2024: 60}, "positive", 80, 2030).status == "not_available"
    assert progress({}, "positive").status == "not_available"
    assert progress({2020: -5, 2024: 5}).status == "not_available"  # signs differ
    assert progress({2018: 10, 2019: 12}).status == "not_available"  # nothing at or after 2020


def test_the_base_is_the_first_year_with_data_from_2020_on_and_zero_is_replaced():
    p = progress({2019: 1, 2021: 0, 2023: 8}, "positive")
    assert p.base_year == 2021
    assert p.observed_growth == pytest.approx((8 / 0.001) ** 0.5 - 1)
