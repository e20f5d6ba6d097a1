"""A unit's due list holds what its level reports: a commune or ward the figures its own work
makes, the province and its agencies every reported indicator; an indicator of an abolished
level (districts, until 30/06/2025) is due only for the periods it still applied to."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.core.clock import today
from ioc57.core.periods import parse_period
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.due import due_list
from ioc57.units.tables import units

from ..support.http import auth

DISTRICT = {"work_files_online_rate_district_level", "district_iocs"}


def _current(conn, **where) -> int:
    query = select(units.c.id).where(units.c.valid_to.is_(None)).order_by(units.c.code)
    for column, value in where.items():
        query = query.where(units.c[column] == value)
    return conn.execute(query.limit(1)).scalar_one()


def _codes(conn, unit_id: int, period: str | None = None) -> set[str]:
    chosen = parse_period(period) if period else None
    return {d.indicator.code for d in due_list(conn, unit_id, today(), chosen)}


def test_a_ward_is_due_what_a_communes_work_makes_the_province_everything(client, api, engine):
    reported = [i for i in catalogue().indicators if i.source == "reported"]
    by_communes = {i.code for i in reported if "commune" in i.reported_by}
    assert {"official_email_rate", "online_dossier_rate"} <= by_communes
    assert "rd_spending_gdp_share" not in by_communes  # a province's R&D against its GRDP
    agency = {"code": "82-SKHCN", "name": "Sở Khoa học và Công nghệ", "parent": "82"}
    r = client.post("/api/v1/units", json=agency, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    with engine.connect() as conn:
        ward = _current(conn, province_code="82", level="commune")
        province = _current(conn, code="82")
        assert _codes(conn, ward) == by_communes
        applying = {i.code for i in reported if i.until is None}
        assert _codes(conn, province) == applying  # last month: the district ones are gone
        assert _codes(conn, _current(conn, code="82-SKHCN")) == applying


def test_a_district_indicator_is_due_for_a_period_it_applied_to(engine):
    with engine.connect() as conn:
        province = _current(conn, code="82")
        assert _codes(conn, province, "202503") >= DISTRICT
        assert not DISTRICT & _codes(conn, province, "202509")
