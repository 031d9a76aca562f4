"""Reading ahead in a thread: the next records are read and normalised while the database
writes the previous ones.

Normalising is pure Python and holds the interpreter lock; the writer spends much of its
time waiting for PostgreSQL (or inside SQLite's C code), which releases it. Run one after
the other, a 100,000-row import took the sum of both; overlapped, closer to the larger.
The producer must not touch the database (its thread would have its own connection,
outside the import's transaction): ``Resolver.load()`` reads the look-up tables first.
"""

import queue
import threading
from collections.abc import Iterable, Iterator

CHUNK = 500  # items handed over at a time (one queue operation per chunk, not per item)
DEPTH = 8  # chunks read ahead at most: memory stays bounded whatever the file's size
_DONE = object()


class _Failed:
    def __init__(self, exc: BaseException):
        self.exc = exc


def read_ahead(items: Iterable, *, chunk: int = CHUNK, depth: int = DEPTH) -> Iterator:
    """Yield ``items``, produced by a background thread up to ``chunk × depth`` ahead.
    An exception raised while producing is raised here, at the same point of the stream;
    closing the generator early stops the thread."""
    handover: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(value) -> bool:
        while not stop.is_set():
            try:
                handover.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator, batch = iter(items), []
        try:
            for item in iterator:
                batch.append(item)
                if len(batch) == chunk:
                    if not put(batch):
                        return
                    batch = []
            if put(batch):
                put(_DONE)
        except BaseException as exc:  # noqa: BLE001 (handed to the consumer, raised there)
            if put(batch):  # the items read before the error come first
                put(_Failed(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close:
                close()

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            got = handover.get()
            if got is _DONE:
                return
            if isinstance(got, _Failed):
                raise got.exc
            yield from got
    finally:
        stop.set()
        thread.join()
