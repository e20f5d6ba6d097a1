"""Read the real administrative units from the packages ``vietnam-provinces`` and ``vietnamadminunits``.

- ``vietnam-provinces`` is the list in force since 2025-07-01 (34 provinces, 3,321 communes): codes,
  names and division types, as published by the General Statistics Office.
- ``vietnamadminunits`` gives the 63 provinces, their districts and communes before that date, the
  coordinates of every unit, and the conversion map from each legacy commune to its new commune(s).

Nothing here touches our database: it returns plain rows for ``units.load``.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from unidecode import unidecode

REORGANISED = date(2025, 7, 1)
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
# the type of a unit by ``vietnam_provinces.VietNamDivisionType`` (a text enum, read by its value)
TYPE_NAMES = {
    "tỉnh": "tỉnh",
    "thành phố trung ương": "thành phố",
    "xã": "xã",
    "phường": "phường",
    "đặc khu": "đặc khu",
}


def search_key(text: str) -> str:
    """Lower-case ASCII, so that ``tien giang`` finds ``Tiền Giang``."""
    return " ".join(unidecode(text or "").lower().split())


def official_code(level: str, code: int | str) -> str:
    return str(int(code)).zfill(CODE_WIDTH[level])


@dataclass
class UnitRow:
    key: tuple[str, str, date | None]  # (level, code, valid_from): how successions refer to it
    code: str
    name: str
    short_name: str
    level: str
    type: str
    parent: tuple[str, str, date | None] | None
    province_code: str
    valid_from: date | None
    valid_to: date | None
    lat: float | None
    lon: float | None


@dataclass
class UnitData:
    units: list[UnitRow] = field(default_factory=list)
    # (predecessor key, successor key, is_default)
    successions: list[tuple[tuple, tuple, bool]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)


def adminunits_query(sql: str) -> list[dict]:
    """Rows of ``vietnamadminunits``' own database.

    The two packages are imported in the functions that read them: ``vietnamadminunits`` loads its
    address parser (~45 MB and half a second), and only the loading of units and the reading of an
    address need them, not every ioc57 process that imports this module for ``search_key``.
    """
    from vietnamadminunits.database import query

    return query(sql)


def _full_name(type_name: str, short: str) -> str:
    return f"{type_name[:1].upper()}{type_name[1:]} {short}"


def adminunits_to_official() -> dict[str, str]:
    """``vietnamadminunits`` ward code -> official code, matched on province and name.

    The two packages disagree on 114 of the 3,321 codes (``vietnamadminunits`` has codes from before
    the official list was settled); ``vietnam-provinces`` carries the official ones.
    """
    from vietnam_provinces import Ward

    by_code = {official_code("commune", w.code): search_key(w.name) for w in Ward.iter_all()}
    by_name: dict[tuple[str, str], str] = {}
    by_key: dict[tuple[str, str], list[str]] = {}
    for w in Ward.iter_all():
        pcode, wcode = official_code("province", w.province_code), official_code("commune", w.code)
        by_name[(pcode, unicodedata.normalize("NFC", w.name))] = wcode
        by_key.setdefault((pcode, search_key(w.name)), []).append(wcode)
    mapping = {}
    for r in adminunits_query("SELECT provinceCode, ward, wardCode FROM admin_units"):
        code, name = r["wardCode"], unicodedata.normalize("NFC", r["ward"])
        if by_code.get(code) == search_key(name):
            mapping[code] = code
        elif (r["provinceCode"], name) in by_name:
            mapping[code] = by_name[(r["provinceCode"], name)]
        else:
            candidates = by_key.get((r["provinceCode"], search_key(name)), [])
            mapping[code] = candidates[0] if len(candidates) == 1 else code
    return mapping


def current_units() -> list[UnitRow]:
    from vietnam_provinces import Province, Ward

    to_official = adminunits_to_official()
    coords = {
        to_official[r["wardCode"]]: (r["wardLat"], r["wardLon"])
        for r in adminunits_query("SELECT wardCode, wardLat, wardLon FROM admin_units")
    }
    pcoords = {
        r["provinceCode"]: (r["provinceLat"], r["provinceLon"])
        for r in adminunits_query(
            "SELECT DISTINCT provinceCode, provinceLat, provinceLon FROM admin_units"
        )
    }
    rows: list[UnitRow] = []
    for province in Province.iter_all():
        pcode = official_code("province", province.code)
        ptype = TYPE_NAMES[province.division_type.value]
        short = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        lat, lon = pcoords.get(pcode, (None, None))
        pkey = ("province", pcode, REORGANISED)
        rows.append(
            UnitRow(
                pkey,
                pcode,
                _full_name(ptype, short),
                short,
                "province",
                ptype,
                None,
                pcode,
                REORGANISED,
                None,
                lat,
                lon,
            )
        )
    for ward in Ward.iter_all():
        wcode = official_code("commune", ward.code)
        pcode = official_code("province", ward.province_code)
        wtype = TYPE_NAMES[ward.division_type.value]
        short = ward.name.split(" ", 2)[-1] if wtype == "đặc khu" else ward.name.split(" ", 1)[-1]
        lat, lon = coords.get(wcode, (None, None))
        rows.append(
            UnitRow(
                ("commune", wcode, REORGANISED),
                wcode,
                ward.name,
                short,
                "commune",
                wtype,
                ("province", pcode, REORGANISED),
                pcode,
                REORGANISED,
                None,
                lat,
                lon,
            )
        )
    return rows


def legacy_units() -> tuple[list[UnitRow], dict[str, tuple], dict[str, tuple]]:
    """Units in force before 2025-07-01, and maps from the converter's keys to unit keys."""
    rows: list[UnitRow] = []
    seen: set[tuple] = set()
    province_keys: dict[str, tuple] = {}
    commune_keys: dict[str, tuple] = {}
    records = adminunits_query(
        "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey,"
        " district, districtShort, districtType, districtCode, districtLat, districtLon, districtKey,"
        " ward, wardShort, wardType, wardCode, wardLat, wardLon, wardKey"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    for r in records:
        pcode = official_code("province", r["provinceCode"])
        pkey = ("province", pcode, None)
        province_keys[r["provinceKey"]] = pkey
        if pkey not in seen:
            seen.add(pkey)
            ptype = "thành phố" if r["province"].startswith("Thành phố") else "tỉnh"
            rows.append(
                UnitRow(
                    pkey,
                    pcode,
                    r["province"],
                    r["provinceShort"],
                    "province",
                    ptype,
                    None,
                    pcode,
                    None,
                    REORGANISED,
                    r["provinceLat"],
                    r["provinceLon"],
                )
            )
        dcode = official_code("district", r["districtCode"])
        dkey = ("district", dcode, None)
        if dkey not in seen:
            seen.add(dkey)
            rows.append(
                UnitRow(
                    dkey,
                    dcode,
                    r["district"],
                    r["districtShort"],
                    "district",
                    r["districtType"].lower(),
                    pkey,
                    pcode,
                    None,
                    REORGANISED,
                    r["districtLat"],
                    r["districtLon"],
                )
            )
        full_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if not r["wardCode"]:
            commune_keys[full_key] = dkey  # an island district with no communes
            continue
        wcode = official_code("commune", r["wardCode"])
        wkey = ("commune", wcode, None)
        commune_keys[full_key] = wkey
        if wkey not in seen:
            seen.add(wkey)
            rows.append(
                UnitRow(
                    wkey,
                    wcode,
                    r["ward"],
                    r["wardShort"],
                    "commune",
                    r["wardType"].lower(),
                    dkey,
                    pcode,
                    None,
                    REORGANISED,
                    r["wardLat"],
                    r["wardLon"],
                )
            )
    return rows, province_keys, commune_keys


def _converter() -> dict:
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def read_units() -> UnitData:
    import vietnam_provinces

    data = UnitData()
    data.units.extend(current_units())
    legacy, legacy_province_keys, legacy_commune_keys = legacy_units()
    data.units.extend(legacy)
    data.versions = {
        "vietnam-provinces": f"{vietnam_provinces.__version__} (data {vietnam_provinces.__data_version__})",
        "vietnamadminunits": _package_version("vietnamadminunits"),
    }

    new_province = {
        r["provinceKey"]: ("province", official_code("province", r["provinceCode"]), REORGANISED)
        for r in adminunits_query("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")
    }
    to_official = adminunits_to_official()
    new_commune = {
        (r["provinceKey"], r["wardKey"]): ("commune", to_official[r["wardCode"]], REORGANISED)
        for r in adminunits_query("SELECT provinceKey, wardKey, wardCode FROM admin_units")
    }
    conv = _converter()
    legacy_to_new_province: dict[tuple, tuple] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            legacy_to_new_province[legacy_province_keys[old_key]] = new_province[new_key]
            data.successions.append((legacy_province_keys[old_key], new_province[new_key], True))
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_full_keys in wards.items():
            for old in old_full_keys:
                if old in legacy_commune_keys:
                    data.successions.append(
                        (legacy_commune_keys[old], new_commune[(new_pkey, new_wkey)], True)
                    )
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            if old not in legacy_commune_keys:
                continue
            for part in parts:
                succ = new_commune[(new_pkey, part["newWardKey"])]
                data.successions.append(
                    (legacy_commune_keys[old], succ, bool(part["isDefaultNewWard"]))
                )
    for row in legacy:
        if row.level == "district":
            assert row.parent is not None  # a district is in a province
            data.successions.append((row.key, legacy_to_new_province[row.parent], True))
    data.successions = list(dict.fromkeys(data.successions))
    return data


def _package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)
