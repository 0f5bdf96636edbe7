"""A generator read ahead by a worker thread (sync export and import)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def prefetched(items: Iterator[T], depth: int = 8) -> Iterator[T]:
    """``items`` read ahead by a worker thread, at most ``depth`` of them: work that
    releases the GIL (decryption, decompression, SQLite queries) then runs on another core
    while the caller deals with earlier items. Errors surface in order, where they would
    have. Close the generator when done with it: that stops and joins the worker (which
    finishes the item it is making)."""
    handoff: queue.Queue[tuple[bool, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            put((False, error))
            return
        put((False, None))

    worker = threading.Thread(target=work, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            more, item = handoff.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        worker.join()
