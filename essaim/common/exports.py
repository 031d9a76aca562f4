"""Streamed open-data downloads: one CSV dialect and one response shape for every module.

CSV: UTF-8, comma-separated, a header row, lists joined with ";", booleans as 1/empty,
``None`` as empty (what spreadsheets and ``csv`` readers expect). Downloads stream: a
million rows never sit in memory; the caller's row iterator reads the database by chunks.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def cell(value) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else ""
    return "" if value is None else str(value)


def csv_lines(columns: Sequence[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header, then one line per row (a dict keyed by ``columns``)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([cell(row[column]) for column in columns])


CHUNK = 2000


def by_chunks(queryset, size: int = CHUNK) -> Iterator:
    """Every row of ``queryset`` by ascending id, ``size`` at a time: its prefetches run
    once per chunk, and memory stays flat (keyset pagination, no OFFSET)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page.order_by("pk")[:size])
        yield from chunk
        if len(chunk) < size:
            return
        last = chunk[-1].pk


def download(chunks: Iterable[str | bytes], *, content_type: str, filename: str):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
