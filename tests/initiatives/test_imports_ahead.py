import threading

import pytest

from essaim.initiatives.imports.ahead import read_ahead


def test_items_come_in_order_across_chunks():
    assert list(read_ahead(range(1234), chunk=100, depth=2)) == list(range(1234))


def test_an_error_while_reading_is_raised_after_the_items_before_it():
    def items():
        yield from range(250)
        raise ValueError("ligne 251 illisible")

    got = []
    with pytest.raises(ValueError, match="ligne 251"):
        for item in read_ahead(items(), chunk=100):
            got.append(item)
    assert got == list(range(250))


def test_stopping_early_stops_the_reading_thread():
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    stream = read_ahead(endless(), chunk=10, depth=2)
    assert [next(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
    stream.close()
    assert closed.is_set()
    assert not [t for t in threading.enumerate() if t.name == "import-read-ahead"]
