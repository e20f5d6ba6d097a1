"""What a manifest may name instead of importing it: ``"package.module:attribute"``, imported when
it is first used (``resolve``). Every ``ioc57`` process reads the manifests; only the web app shows
the pages, only ``ioc57 demo`` loads a demo, only the alert rules read a figure."""

from __future__ import annotations

import importlib
from typing import TypeVar

T = TypeVar("T")


def resolve(ref: T | str) -> T:
    """What a manifest names: itself, or the attribute a ``"package.module:attribute"`` names
    (imported now)."""
    if isinstance(ref, str):
        module, _, attribute = ref.partition(":")
        return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]
    return ref
