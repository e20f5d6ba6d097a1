"""The hub: thread-safe hand-over to each stream's loop, filters, and a bounded queue per stream."""

import asyncio
import threading

from ioc57.core.events import Event
from ioc57.core.stream import Hub


def batch(n: int, units=(1, 30, 2861)) -> Event:
    return Event("ingest.batch", {"batch": n}, units)


def test_events_published_from_other_threads_reach_the_subscriber_in_order():
    hub = Hub()

    async def main():
        sub = hub.subscribe()
        workers = [
            threading.Thread(
                target=lambda k=k: [hub.publish(batch(k * 100 + i)) for i in range(50)]
            )
            for k in range(4)
        ]
        for w in workers:
            w.start()
        got = [(await asyncio.wait_for(sub.get(), 5)).data["batch"] for _ in range(200)]
        for w in workers:
            w.join()
        return got

    got = asyncio.run(main())
    assert sorted(got) == sorted(k * 100 + i for k in range(4) for i in range(50))
    for k in range(4):  # each thread's events keep their order
        mine = [n for n in got if n // 100 == k]
        assert mine == sorted(mine)


def test_a_subscriber_sees_its_types_and_its_units_only():
    hub = Hub()

    async def main():
        everything = hub.subscribe()
        commune = hub.subscribe(unit_id=2861)
        hanoi = hub.subscribe(unit_id=1)
        alerts = hub.subscribe(types=["alerts.raised"])
        hub.publish(batch(1, units=(30, 2861)))
        hub.publish(Event("alerts.raised", {"n": 2}, (30,)))
        hub.publish(Event("system.note", {"n": 3}))  # no units: for unscoped principals only
        hub.close()

        async def drain(sub):
            out = []
            while (message := await asyncio.wait_for(sub.get(), 5)) is not None:
                out.append(message.type)
            return out

        return [await drain(s) for s in (everything, commune, hanoi, alerts)]

    everything, commune, hanoi, alerts = asyncio.run(main())
    assert everything == ["ingest.batch", "alerts.raised", "system.note"]
    assert commune == ["ingest.batch"]
    assert hanoi == []
    assert alerts == ["alerts.raised"]


def test_a_slow_subscriber_loses_its_oldest_events_and_publishing_never_blocks():
    hub = Hub(queue_size=10)

    async def main():
        sub = hub.subscribe()
        done = threading.Event()

        def flood():
            for i in range(1_000):
                hub.publish(batch(i))
            done.set()

        threading.Thread(target=flood).start()
        while not done.is_set():  # the publisher finishes while nobody reads
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # let the loop run the hand-overs
        got = [sub.queue.get_nowait().data["batch"] for _ in range(sub.queue.qsize())]
        return got, sub.take_dropped()

    got, dropped = asyncio.run(main())
    assert got == list(range(990, 1_000))
    assert dropped == 990


def test_unsubscribed_and_closed_loops_are_forgotten():
    hub = Hub()

    async def main():
        sub = hub.subscribe()
        hub.unsubscribe(sub)
        hub.subscribe()  # its loop ends with asyncio.run

    asyncio.run(main())
    assert hub.subscribers == 1
    hub.publish(batch(1))  # delivering to a closed loop drops the subscriber, does not raise
    assert hub.subscribers == 0


def test_a_scoped_subscriber_sees_only_its_parts_of_an_event_about_many_units():
    from ioc57.core.stream import Message, scoped

    message = Message(
        "h-1",
        "ingest.batch",
        {"batch": 1, "ids": ["A", "B", "C"], "changed": 3, "counts": {"accepted": 3}},
        (1, 2, 10, 20),
        "h",
        parts=(
            ((1, 10), {"ids": ["A", "C"], "changed": 2}),
            ((2, 20), {"ids": ["B"], "changed": 1}),
        ),
        private=("counts",),
    )
    assert scoped(message, 10).data == {"batch": 1, "ids": ["A", "C"], "changed": 2}
    assert scoped(message, 2).data == {"batch": 1, "ids": ["B"], "changed": 1}
    assert scoped(message, 99) is None
