"""The working-day calendar with the government's announcements and a province's own file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ioc57.core import workdays
from ioc57.core.settings import read_settings
from ioc57.core.workdays import (
    WorkdaysFileError,
    add_working_days,
    is_working_day,
    load_calendar,
    read_days,
    working_days_between,
)

from ..support.workdays import walk_add, walk_between

PROVINCE = """
[[2026]]
source = "Quyết định của Ủy ban nhân dân tỉnh (ví dụ cho kiểm thử)"
days_off = [2026-03-20]
working_days = [2026-03-28]

[[2026]]
source = "ví dụ cho kiểm thử: thứ Bảy 10/1/2026 nghỉ, thứ Ba 24/11/2026 làm việc"
days_off = [2026-01-10]
working_days = [2026-11-24]
"""


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    path = tmp_path_factory.mktemp("calendar") / "province.toml"
    path.write_text(PROVINCE, encoding="utf-8")
    return load_calendar(path)


def test_tet_binh_ngo_2026():
    # off from Saturday 14/2 to Sunday 22/2; Tết itself (mùng 1) is Tuesday 17/2
    assert [d for d in range(13, 24) if is_working_day(date(2026, 2, d))] == [13, 23]
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    # received Wednesday 11/2 with 5 working days: 12, 13, 23, 24, 25 February
    assert add_working_days(date(2026, 2, 11), 5) == date(2026, 2, 25)
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 24)) == 3


def test_compensatory_saturdays():
    # 2024: Monday 29/4 off, Saturday 4/5 worked (Công văn 2450/VPCP-KGVX)
    assert is_working_day(date(2024, 5, 4)) and not is_working_day(date(2024, 4, 29))
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    # after Friday 26/4: Thursday 2/5, Friday 3/5, Saturday 4/5, Monday 6/5
    assert working_days_between(date(2024, 4, 26), date(2024, 5, 6)) == 4
    # 2025: Saturday 26/4 worked for Friday 2/5, off from 30/4 to 4/5
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)
    # 2026: Friday 2/1 off, Saturday 10/1 worked
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 12)) == 7


def test_a_day_off_the_package_already_has_counts_once():
    # 29/4/2024 is both a package holiday and in the shipped file
    assert working_days_between(date(2024, 4, 28), date(2024, 4, 29)) == 0
    assert working_days_between(date(2024, 4, 26), date(2024, 5, 1)) == 0


def test_a_province_file_adds_a_day_off_and_a_working_saturday(province):
    assert is_working_day(date(2026, 3, 20)) and not province.is_working_day(date(2026, 3, 20))
    assert not is_working_day(date(2026, 3, 28)) and province.is_working_day(date(2026, 3, 28))
    # Thursday 19/3, one working day: Friday 20/3 is off, so Monday 23/3; Friday 27/3 -> Saturday
    assert province.add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 23)
    assert province.add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 28)
    # 16/3 to 31/3: 12 weekdays, less 20/3, plus 28/3
    assert working_days_between(date(2026, 3, 15), date(2026, 3, 31)) == 12
    assert province.working_days_between(date(2026, 3, 15), date(2026, 3, 31)) == 12
    assert province.working_days_between(date(2026, 3, 19), date(2026, 3, 20)) == 0


def test_a_province_file_overrides_the_shipped_one_date_by_date(province):
    assert is_working_day(date(2026, 1, 10)) and not province.is_working_day(date(2026, 1, 10))
    assert not province.is_working_day(date(2026, 1, 2))  # the shipped day off stays
    assert province.working_days_between(date(2025, 12, 31), date(2026, 1, 12)) == 6
    # and a listed working day wins over a public holiday (Vietnam Cultural Day, a Tuesday)
    assert not is_working_day(date(2026, 11, 24)) and province.is_working_day(date(2026, 11, 24))
    assert province.working_days_between(date(2026, 11, 23), date(2026, 11, 25)) == 2


def test_the_setting_names_the_province_file(monkeypatch, tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(PROVINCE, encoding="utf-8")
    monkeypatch.setenv("IOC57_WORKDAYS_FILE", str(path))
    assert read_settings().workdays_file == path
    monkeypatch.setattr(workdays, "_calendar", None)  # read again, with the setting
    assert not is_working_day(date(2026, 3, 20))
    assert add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 28)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[2026]]\ndays_off = [2026-03-20]\n", "names no source"),
        ('[[2026]]\nsource = "x"\ndays_off = ["2026-03-20"]\n', "is not a date"),
        ('[[2026]]\nsource = "x"\ndays_off = [2026-03-20T08:00:00]\n', "is not a date"),
        ('[[2026]]\nsource = "x"\ndays_off = [2026-03-20]\nworking_days = [2026-03-20]\n', "both"),
        ('[[2026]]\nsource = "x"\nday_off = [2026-03-20]\n', "unknown keys"),
        ('[2026]\nsource = "x"\n', "not a year's list"),
        ('[[twenty]]\nsource = "x"\n', "not a year's list"),
        ("[[2026]\n", "2026"),
    ],
)
def test_a_bad_file_is_told(tmp_path, text, says):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkdaysFileError, match=says):
        read_days(path)


def test_the_shipped_file_reads():
    days = read_days(workdays.SHIPPED)
    assert days[date(2024, 5, 4)] and not days[date(2024, 4, 29)]


starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
spans = st.integers(min_value=0, max_value=400)


@settings(max_examples=200, deadline=None)
@given(start=starts, span=spans)
def test_the_three_agree_with_a_walk(start, span):
    end = start + timedelta(days=span)
    count = working_days_between(start, end)
    assert count == walk_between(start, end)
    assert add_working_days(start, span) == walk_add(start, span)
    if count:  # the count-th working day after start is the last one up to end
        reached = add_working_days(start, count)
        assert reached <= end and is_working_day(reached)
        assert walk_between(reached, end) == 0


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 6, 30)), span=spans)
def test_a_province_calendar_agrees_with_a_walk(province, start, span):
    end = start + timedelta(days=span)
    walk = province.is_working_day
    assert province.working_days_between(start, end) == walk_between(start, end, walk)
    assert province.add_working_days(start, span) == walk_add(start, span, walk)


def test_two_centuries_are_counted_exactly():
    start, end = date(1900, 1, 1), date(2100, 12, 31)
    count = working_days_between(start, end)
    assert count == walk_between(start, end)
    assert add_working_days(start, count) == max(
        day for day in (end - timedelta(days=d) for d in range(10)) if is_working_day(day)
    )
