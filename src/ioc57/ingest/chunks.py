"""Rows cut into chunks, and chunks validated: in turn, or ahead of the writer in worker processes.

Validating a record (pydantic, units, its rollup contributions) costs more than writing it. A
batch of several chunks can have them validated by worker processes on other cores while this
process writes (``in_workers``; each worker holds its own engine and unit cache); otherwise each
chunk is validated here before it is written (``in_turn``). Chunks come out in order either way,
so commits follow the order of the rows.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import Any

from sqlalchemy.engine import Dialect

from ioc57.core import heap
from ioc57.core.access import WriteGrant
from ioc57.ingest.batches import Report, Source
from ioc57.ingest.bulk import cell_rows
from ioc57.ingest.rollups import added, placer
from ioc57.ingest.types import RecordType
from ioc57.ingest.validation import Candidate, Validator

# the raw payloads of a batch: (body, content type) pairs, or a callable that returns those read
# since its last call
Payloads = list[tuple[bytes, str]]
Raw = Iterable[tuple[bytes, str]] | Callable[[], Iterable[tuple[bytes, str]]]
Rows = list[tuple[int, Any]]  # (index, row) as ``Gate.ingest`` takes them


@dataclass(slots=True)
class Chunk:
    """Up to a chunk's size of rows, validated: committed in one transaction."""

    size: int
    candidates: list[Candidate]
    rejected: list[Report]
    warnings: list[Report]
    payloads: Payloads
    last: bool
    # the rollup rows of the candidates, all taken as new records (``bulk.cell_rows``), made by
    # a worker process: the writer uses them when every candidate is new, as in a first load
    cells: list[tuple[Any, ...]] | None = None


Prepare = Callable[[Rows, Payloads, bool], Chunk]  # (rows, raw payloads, last) -> its Chunk
# what a worker sends back: candidates as plain tuples, rejected rows, warnings, rollup rows
Shipped = tuple[list[tuple[Any, ...]], list[Report], list[Report], list[tuple[Any, ...]]]


def cut(rows: Iterator[tuple[int, Any]], raw: Raw | None, size: int) -> tuple[Rows, Payloads]:
    """The next ``size`` rows, and the raw payloads that go with them."""
    items = list(islice(rows, size))
    payloads = [] if raw is None else list(raw() if callable(raw) else raw)
    return items, payloads


def in_turn(
    prepare: Prepare, rows: Iterator[tuple[int, Any]], raw: Raw | None, size: int
) -> Generator[Chunk]:
    """Chunks validated here, one after the other, each as the previous one is committed.

    (A thread that validates the next chunk while this one is written gains nothing measurable:
    validation holds the GIL, and SQLite takes it back after every row it steps.)
    """
    while True:
        items, payloads = cut(rows, raw, size)
        chunk = prepare(items, payloads, len(items) < size)
        yield chunk
        if chunk.last:
            return


def in_workers(
    prepare: Prepare,
    rows: Iterator[tuple[int, Any]],
    raw: Raw | None,
    size: int,
    *,
    url: str,
    source: Source,
    grant: WriteGrant,
    rtype: RecordType[Any],
    workers: int,
) -> Generator[Chunk]:
    """Chunks validated by ``workers`` processes on the database at ``url``.

    The first chunk is validated here while the workers start; a batch of one chunk starts none.
    """
    items, payloads = cut(rows, raw, size)
    if len(items) < size:
        yield prepare(items, payloads, True)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(url, os.getpid()),
    )
    pending: deque[tuple[Future[Shipped], int, Payloads, bool]] = deque()
    exhausted = False

    def submit() -> None:
        nonlocal exhausted
        more, more_payloads = cut(rows, raw, size)
        exhausted = len(more) < size
        future = pool.submit(_validate, source, grant, rtype, more)
        pending.append((future, len(more), more_payloads, exhausted))

    try:
        submit()  # the workers start on this one while the first is validated here
        yield prepare(items, payloads, False)
        while pending:
            while not exhausted and len(pending) <= workers:
                submit()
            future, count, chunk_payloads, last = pending.popleft()
            shipped, rejected, warnings, cells = future.result()
            candidates = list(map(Candidate._make, shipped))
            yield Chunk(count, candidates, rejected, warnings, chunk_payloads, last, cells)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# -- inside a worker process -----------------------------------------------------------------------

_validator: Validator | None = None
_dialect: Dialect | None = None


def _start_worker(url: str, parent: int) -> None:
    global _validator, _dialect
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    from sqlalchemy.pool import NullPool

    from ioc57.core.db import make_engine
    from ioc57.ingest.unitcache import Places, UnitCache

    engine = make_engine(url, poolclass=NullPool)
    cache = UnitCache(engine)
    _validator = Validator(cache, Places(engine, cache))
    _dialect = engine.dialect


def _exit_with(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with SIGKILL, it could
    not say so): a worker holds no state worth finishing, only the parent's pipes."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _validate(source: Source, grant: WriteGrant, rtype: RecordType[Any], items: Rows) -> Shipped:
    """Validate ``items`` as records of ``rtype``: the record type is sent by reference to its
    module (pickled by name), so a worker needs no registry of record types. Plain tuples pickle
    in C; the records' many equal shares are sent once. The candidates' rollup rows, as if each
    were a new record, are made here too: the writer's costliest Python, off its core."""
    assert _validator is not None and _dialect is not None, "started by _start_worker"
    _validator.cache.load()  # before the collector is spared it: it lives as long as the worker
    with heap.collector_spared():
        candidates, rejected, warnings = _validator.validate(
            source, rtype, items, grant, shipped=True
        )
        cells = cell_rows(added(candidates, placer(_validator.cache)), _dialect)
    return [tuple(c) for c in candidates], rejected, warnings, cells
