"""Bulk work spares the collector the heap it found: inside ``collector_spared`` the objects made
before the block are out of the collector's reach, those made inside are collected as ever, and
when the last block ends (blocks nest, in one thread or several) every object is back in reach,
so a cycle that became garbage meanwhile is still collected."""

from __future__ import annotations

import gc
import threading
import weakref

from ioc57.core.heap import collector_spared


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_objects_made_before_the_block_are_spared_until_it_ends() -> None:
    gc.collect()
    before = Node()
    gone_before = weakref.ref(before)
    with collector_spared():
        assert gc.get_freeze_count() > 0
        inside = Node()
        gone_inside = weakref.ref(inside)
        del before, inside
        gc.collect()
        assert gone_inside() is None  # made inside: collected as ever
        assert gone_before() is not None  # made before: out of reach meanwhile
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone_before() is None  # in reach again once the block ends


def test_blocks_nest_across_threads_and_the_last_to_end_hands_the_heap_back() -> None:
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_spared():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with collector_spared():
        thread.start()
        entered.wait(10)
        with collector_spared():
            assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() > 0  # the other thread's block still runs
    release.set()
    thread.join(10)
    assert gc.get_freeze_count() == 0
