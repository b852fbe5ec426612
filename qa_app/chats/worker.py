"""Reading, validating and checking a large file in a second process while the importer writes.

Parsing and the nine checks are about as much CPU as the database's bulk insert; in one process
they take turns. For a large file read by a single-threaded process (`flask chats import`, an RQ
worker) a forked child reads the file and sends `parsing.read_chats`'s items with every chat
already prepared for storage (`rows.PreparedChat`: checks run, times converted), in chunks
through a pipe; the importer consumes them as it would its own. Small files, and processes
running other threads (the web server's job threads: forking them is unsafe), stay in one process.

The child is plain: `os.fork`, a pipe, `os._exit`. A multiprocessing.Queue was used first; a
test run once hung with the child in a futex wait and the parent waiting for the first chunk,
so nothing process-shared is left: the child's threads and locks are its own, made after the
fork. In the child the main thread reads and prepares, a writer thread sends (up to QUEUED
chunks waiting, so the child keeps working while the parent writes a batch to the database;
memory stays bounded whatever the file size). The parent reads the pipe with a timeout: a child
that dies is end-of-file, one that sends nothing for STALL_SECONDS is killed; either fails the
import (one transaction, nothing stored). A parent that stops early kills and reaps the child.

The child gets each known shop's time zone and rules up front; a shop it does not know is one
the importer will create with the defaults (`SHOP_TIMEZONE`, a 300 s limit, no phrases), so it
uses those. It touches no database connection, and ends with os._exit, so the parent's
connections are never closed or rolled back from it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue as queues
import select
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from ..ingest import LimitExceeded, Problem
from . import checks as autochecks
from . import rows
from .parsing import ParsedChat, read_chats

#: files smaller than this (bytes on disk) are read in the importing process
MIN_BYTES = 1 << 20
CHUNK = 250  # items per message through the pipe
QUEUED = 8  # chunks the child keeps ready at most
STALL_SECONDS = 120  # a chunk of 250 chats takes well under a second to prepare


def wanted(size: int, min_bytes: int = MIN_BYTES) -> bool:
    return size >= min_bytes and threading.active_count() == 1 and hasattr(os, "fork")


class ReadInWorker:
    """An iterator over the file's items (rows.PreparedChat, or Problem); `position()`
    is how far into the file the child had read for the last chunk handed out."""

    def __init__(
        self,
        source,
        kind: str,
        shops: dict[str, tuple[str, autochecks.Rules]],
        default_zone: str,
        sqlite: bool,
    ):
        self._args = (source, kind, shops, default_zone, sqlite)
        self._position = 0

    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[ParsedChat | Problem]:
        receiving, sending = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(receiving)
            _run_child(self._args, sending)
        os.close(sending)
        name = Path(self._args[0].path).name
        try:
            while (message := _receive(receiving, name)) is not None:
                items, self._position = message
                yield from items
        finally:
            os.close(receiving)
            _stop(child)


def _receive(descriptor: int, name: str):
    """The next message: (items, position), None at the end; raises what the child reported."""
    ready, _, _ = select.select([descriptor], [], [], STALL_SECONDS)
    if not ready:
        raise RuntimeError(f"the process reading {name} sent nothing for {STALL_SECONDS} s")
    size = int.from_bytes(_read_exactly(descriptor, 8, name), "little")
    message = pickle.loads(_read_exactly(descriptor, size, name))
    if isinstance(message, BaseException):
        raise message
    return message


def _read_exactly(descriptor: int, size: int, name: str) -> bytes:
    parts, left = [], size
    while left:
        part = os.read(descriptor, min(left, 1 << 20))
        if not part:
            raise RuntimeError(f"the process reading {name} ended unexpectedly")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _stop(child: int) -> None:
    """Kill the child if it is still running (the parent stopped early) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


def _run_child(args, descriptor: int) -> None:
    """The forked child's whole life; never returns."""
    try:
        outbox: queues.Queue = queues.Queue(maxsize=QUEUED)
        writer = threading.Thread(target=_write, args=(outbox, descriptor), daemon=True)
        writer.start()
        _read(*args, outbox.put)
        outbox.put(_END)
        writer.join()
    finally:
        os._exit(0)


_END = object()


def _write(outbox: queues.Queue, descriptor: int) -> None:
    """The child's writer thread: each message as 8 bytes of length and its pickle."""
    try:
        with os.fdopen(descriptor, "wb") as pipe:
            while (message := outbox.get()) is not _END:
                data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(8, "little"))
                pipe.write(data)
                pipe.flush()
    except BaseException:  # the parent stopped reading (broken pipe): nobody left to tell
        os._exit(1)


def _read(source, kind: str, shops: dict, default_zone: str, sqlite: bool, send) -> None:
    """The child: read_chats over the file, every chat prepared (rows.py), chunks to `send`."""
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
                send((chunk, source.position()))
                chunk = []
        send((chunk, source.position()))
        send(None)
    except LimitExceeded as error:  # the importer turns it into the file's rejection
        send(error)
    except BaseException as error:  # handed to the parent, which raises it
        send(RuntimeError(f"reading {Path(source.path).name} failed: {error!r}"))
