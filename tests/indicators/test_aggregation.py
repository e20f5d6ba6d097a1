"""Aggregation rules: counts add, ratios are the ratio of the sums, 'none' is never aggregated."""

import pytest

from ioc57.indicators.aggregate import Part, aggregate, competition_ranks


def test_a_ratio_over_two_merged_provinces_is_the_ratio_of_the_sums():
    # Tiền Giang: 388,880 of 722,154 dossiers online (53.85%); a smaller province: 90 of 100 (90%).
    tien_giang = Part(53.85, 388_880, 722_154, "82", "Tỉnh Tiền Giang")
    other = Part(90.0, 90, 100, "87", "Tỉnh Đồng Tháp (cũ)")
    result = aggregate("ratio", [tien_giang, other], factor=100)
    assert result.value == pytest.approx(388_970 / 722_254 * 100)  # 53.855…, not (53.85 + 90) / 2
    assert result.value != pytest.approx((53.85 + 90) / 2)
    assert (result.numerator, result.denominator) == (388_970, 722_254)


def test_a_percentage_without_its_counts_is_not_aggregated():
    result = aggregate("ratio", [Part(62.53, unit="82"), Part(70.0, 7, 10, "87")], factor=100)
    assert result.value is None and not result.aggregatable
    assert "percentage" in result.note and len(result.parts) == 2


def test_counts_add_up_and_ranks_are_never_aggregated():
    assert aggregate("sum", [Part(3345), Part(100)]).value == 3445
    result = aggregate("none", [Part(25), Part(9)])
    assert result.value is None and [p.value for p in result.parts] == [25, 9]


def test_one_part_is_itself_and_a_ratio_from_counts_gets_its_value():
    assert aggregate("none", [Part(12)]).value == 12
    assert aggregate("ratio", [Part(None, 1, 4)], factor=100).value == 25


def test_ranks_share_on_ties_and_follow_direction():
    values = [("a", 10), ("b", 30), ("c", 30), ("d", 5), ("e", None)]
    assert competition_ranks(values, "positive") == {"b": 1, "c": 1, "a": 3, "d": 4}
    assert competition_ranks(values, "negative") == {"d": 1, "a": 2, "b": 3, "c": 3}
