"""Reading, validating and checking a large file in a second process while the importer writes.

Parsing and the nine checks are about as much CPU as the database's bulk insert; in one process
they take turns. For a large file read by a single-threaded process (`flask chats import`, an RQ
worker) a forked child reads the file and yields `parsing.read_chats`'s items with every chat
already prepared for storage (`rows.PreparedChat`: checks run, times converted), in chunks
through a bounded queue; the importer consumes them as it would its own. Small files, and processes running other threads (the web server's job
threads: forking them is unsafe), stay in one process.

The child gets each known shop's time zone and rules up front; a shop it does not know is one
the importer will create with the defaults (`SHOP_TIMEZONE`, a 300 s limit, no phrases), so it
uses those. It touches no database connection, and ends with os._exit (multiprocessing's fork
children do), so the parent's connections are never closed or rolled back from it.
"""

from __future__ import annotations

import multiprocessing
import queue as queues
import threading
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from . import checks as autochecks
from . import rows
from .parsing import ParsedChat, Reject, read_chats

#: files smaller than this (bytes on disk) are read in the importing process
MIN_BYTES = 1 << 20
CHUNK = 250  # items per message through the queue
QUEUED = 8   # chunks waiting at most: memory stays bounded whatever the file size


def wanted(size: int, min_bytes: int = MIN_BYTES) -> bool:
    return (size >= min_bytes and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


class ReadInWorker:
    """An iterator over the file's items (rows.PreparedChat, or Reject); `position()`
    is how far into the file the child had read for the last chunk handed out."""

    def __init__(self, source, kind: str, shops: dict[str, tuple[str, autochecks.Rules]],
                 default_zone: str, sqlite: bool):
        context = multiprocessing.get_context("fork")
        self._queue = context.Queue(maxsize=QUEUED)
        self._process = context.Process(target=_read, daemon=True, args=(
            source, kind, shops, default_zone, sqlite, self._queue))
        self._position = 0

    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[ParsedChat | Reject]:
        self._process.start()
        try:
            while True:
                message = self._next()
                if message is None:
                    return
                items, self._position = message
                yield from items
        finally:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()

    def _next(self):
        while True:
            try:
                message = self._queue.get(timeout=1)
            except queues.Empty:
                if not self._process.is_alive():
                    raise RuntimeError(f"the reading process ended unexpectedly "
                                       f"(exit code {self._process.exitcode})") from None
                continue
            if isinstance(message, BaseException):
                raise message
            return message


def _read(source, kind: str, shops: dict, default_zone: str, sqlite: bool, queue) -> None:
    """The child: read_chats over the file, every chat prepared (rows.py), chunks into the queue."""
    try:
        zones = {slug: ZoneInfo(zone) for slug, (zone, _rules) in shops.items()}
        rules = {slug: shop_rules for slug, (_zone, shop_rules) in shops.items()}
        fallback_zone, fallback_rules = ZoneInfo(default_zone), autochecks.Rules()
        chunk: list = []
        for item in read_chats(source.lines(), kind, lambda slug: zones.get(slug, fallback_zone)):
            if isinstance(item, ParsedChat):
                item = rows.prepare(item, rules.get(item.shop, fallback_rules), sqlite)
            chunk.append(item)
            if len(chunk) >= CHUNK:
                queue.put((chunk, source.position()))
                chunk = []
        queue.put((chunk, source.position()))
        queue.put(None)
    except BaseException as error:  # handed to the parent, which raises it
        queue.put(RuntimeError(f"reading {Path(source.path).name} failed: {error!r}"))
    queue.close()
    queue.join_thread()
