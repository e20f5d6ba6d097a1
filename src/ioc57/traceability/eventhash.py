"""The EPCIS event hash (CBV 2.0, section 8.9): an event's id made of its content, so that the same
event captured twice, from one system or two, has one id.

The algorithm is the ``epcis-event-hash-generator`` package's (GS1's reference implementation).
Its reader of a JSON document (``event_list_from_epcis_document_json``) first expands the whole
document as JSON-LD to learn which bare strings are CBV words, which costs about 1 ms an event;
``event_hash`` does that step itself, from the CBV's own lists (``vocab``) and the event's
``@context``, and hands the package's hasher the same tree its reader would have built. The tests
check that both give the same id for every kind of event (``full_hash`` is the package's whole
way, used there and by ``ioc57 trace verify --deep``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from epcis_event_hash_generator import JOIN_BY, PROP_ORDER, hash_generator, json_to_py
from epcis_event_hash_generator.json_xml_model_mismatch_correction import (
    deep_structure_correction,
)

from ioc57.traceability import epc
from ioc57.traceability.vocab import GS1_VOC, full_uri

# The hasher puts every value of an event through two pure functions of a string, which cost it
# more than anything else: the canonical form of a GS1 key (some forty patterns tried in turn) and
# of a time (dateutil's parser). A place, a lot, a business step, an offset recur across events, so
# the hasher is given the same functions with their answers remembered. The tests check that the
# ids stay those of the package's whole way (``full_hash``).
hash_generator.dl_normaliser = epc.normaliser
hash_generator._fix_time_stamp_format = lru_cache(maxsize=100_000)(
    hash_generator._fix_time_stamp_format
)

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# keys of a row that are no part of the event
NOT_EVENT = ("unit", "@context", "eventID", "id", "recordTime")


def _prefixes(context: Any) -> dict[str, str]:
    """The namespace prefixes an ``@context`` defines (``{"ex": "https://example.vn/"}``)."""
    found: dict[str, str] = {}
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            found.update({k: v for k, v in item.items() if isinstance(v, str)})
    return found


def _expanded(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with its bare CBV values as full URIs, as JSON-LD expansion would name them."""
    out = dict(event)
    for key, kind in (("bizStep", "bizStep"), ("disposition", "disposition")):
        if isinstance(out.get(key), str):
            out[key] = full_uri(kind, out[key])
    pd = out.get("persistentDisposition")
    if isinstance(pd, dict):
        out["persistentDisposition"] = {
            k: [full_uri("disposition", v) if isinstance(v, str) else v for v in vs]
            if isinstance(vs, list)
            else vs
            for k, vs in pd.items()
        }
    for key, kind in (
        ("bizTransactionList", "bizTransaction"),
        ("sourceList", "sourceDest"),
        ("destinationList", "sourceDest"),
    ):
        if isinstance(out.get(key), list):
            out[key] = [
                {**item, "type": full_uri(kind, item["type"])}
                if isinstance(item, dict) and isinstance(item.get("type"), str)
                else item
                for item in out[key]
            ]
    if isinstance(out.get("sensorElementList"), list):
        out["sensorElementList"] = [_sensor(element) for element in out["sensorElementList"]]
    return out


def _sensor(element: Any) -> Any:
    if not isinstance(element, dict) or not isinstance(element.get("sensorReport"), list):
        return element
    reports = [
        {**r, "type": GS1_VOC + r["type"]}
        if isinstance(r, dict) and isinstance(r.get("type"), str) and ":" not in r["type"]
        else r
        for r in element["sensorReport"]
    ]
    return {**element, "sensorReport": reports}


def _namespaced(value: Any, prefixes: dict[str, str]) -> Any:
    """Keys (and values) ``prefix:name`` of the event's own namespaces written out, as the
    package's reader writes them: a key as ``{uri}name``, a value as ``uriname``."""
    if isinstance(value, dict):
        return {_key(k, prefixes): _namespaced(v, prefixes) for k, v in value.items()}
    if isinstance(value, list):
        return [_namespaced(v, prefixes) for v in value]
    if isinstance(value, str):
        head, sep, rest = value.partition(":")
        if sep and head in prefixes:
            return prefixes[head] + rest
    return value


def _key(key: str, prefixes: dict[str, str]) -> str:
    head, sep, rest = key.partition(":")
    if sep and head in prefixes:
        return "{" + prefixes[head] + "}" + rest
    return key


def _tree(event: dict[str, Any], context: Any) -> Any:
    body = {k: v for k, v in event.items() if k not in NOT_EVENT}
    prefixes = _prefixes(context)
    body = _namespaced(_expanded(body), prefixes) if prefixes else _expanded(body)
    return deep_structure_correction(json_to_py._json_to_py(body))


def event_hash(event: dict[str, Any], context: Any = None) -> str:
    """The event's hash id (``ni:///sha-256;…?ver=CBV2.0``); ``context`` is the ``@context`` of
    its document (where its own namespaces are defined)."""
    tree = _tree(event, context)
    # ``derive_prehashes_from_events`` for one event, without its deep copy of a tree that is
    # made for this call alone
    children = tree[2]
    prehash = (
        f"eventType={tree[0]}{JOIN_BY}"
        + hash_generator._recurse_through_children_in_order(children, PROP_ORDER)
        + JOIN_BY
        + hash_generator._gather_elements_not_in_order(children, PROP_ORDER)
    )
    return hash_generator.calculate_hashes_from_pre_hashes([prehash])[0]


def full_hash(event: dict[str, Any], context: Any = None) -> str:
    """The same id the package's own way: the event in a document of its own, expanded as
    JSON-LD (the EPCIS context comes with the package: no network)."""
    contexts: list[Any] = [CONTEXT]
    if isinstance(context, list):
        contexts += [c for c in context if c != CONTEXT]
    elif context and context != CONTEXT:
        contexts.append(context)
    body = {k: v for k, v in event.items() if k not in NOT_EVENT}
    document = {
        "@context": contexts,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-01-01T00:00:00Z",
        "epcisBody": {"eventList": [body]},
    }
    events = json_to_py.event_list_from_epcis_document_json(document)
    return hash_generator.epcis_hashes_from_events(events)[0]
