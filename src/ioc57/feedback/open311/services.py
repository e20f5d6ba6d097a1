"""What an Open311 app reads before it files: the discovery document, the services (the
categories of reports, ``categories.toml``) and a service's definition (its attributes).

A service's ``type`` is ``realtime``: a report filed gets its id at once. ``metadata`` is true for
a category with attributes, which its definition lists in order (``variable`` always: every
attribute asks the citizen something).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_, gettext
from ioc57.core.settings import read_settings
from ioc57.feedback.categories import SHIPPED, Category, categories

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTACT = N_("The province's Intelligent Operations Center (IOC); citizens call hotline 1022.")
KEY_SERVICE = N_(
    "An API key for an app is issued by the IOC's administrator (ioc57 open311 key create NAME)."
)


def changeset() -> str:
    """When the services last changed: the newest of the categories files, as the specification's
    sortable text (``2026-12-02 16:30``)."""
    files = [SHIPPED, *filter(None, [read_settings().feedback_categories_file])]
    newest = max(f.stat().st_mtime for f in files if f.exists())
    return datetime.fromtimestamp(newest, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def discovery(base_url: str, lang: str) -> dict[str, Any]:
    """The service discovery document of the endpoint at ``base_url`` (``…/open311/v2``)."""
    changed = changeset()
    return {
        "changeset": changed,
        "contact": gettext(lang, CONTACT),
        "key_service": gettext(lang, KEY_SERVICE),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": changed,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service(kind: Category, lang: str) -> dict[str, Any]:
    return {
        "service_code": kind.code,
        "service_name": kind.label(lang),
        "description": kind.description,
        "metadata": bool(kind.attributes),
        "type": "realtime",
        "keywords": ", ".join(kind.keywords),
        "group": None,
    }


def service_list(lang: str) -> list[dict[str, Any]]:
    return [service(kind, lang) for kind in categories().values()]


def definition(kind: Category) -> dict[str, Any]:
    """A service's definition: its attributes, and the values of those that are lists."""
    return {
        "service_code": kind.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": None,
                "order": order,
                "description": a.description,
                "values": [{"key": key, "name": name} for key, name in a.values],
            }
            for order, a in enumerate(kind.attributes, start=1)
        ],
    }
