"""Running one picklable function over many items, here or on a cluster, so that a
task that crashes its process costs that task and nothing else.

Shared by batch conversion and the consolidation of many units' workbooks: both are
"the same small function over a thousand files". The function receives an item and
returns a small picklable value; it writes any big result (a report) itself. What
makes it fast is what surrounds the call, not the call:

- **Local pool.** A :class:`~concurrent.futures.ProcessPoolExecutor` started with
  ``fork`` on Linux (workers inherit the imports and whatever the parent warmed up,
  such as the compiled Word template, instead of importing again), fed *chunks* of
  items (one pickling and one round trip per chunk, not per item) through a bounded
  window of futures (memory does not grow with the count).
- **A dead worker is one lost item.** When a worker process dies (killed, out of
  memory, a crash in a C library) ``concurrent.futures`` fails every pending future
  at once. The chunks that were in flight are then the suspects: they are run again
  one item at a time, alone in a fresh pool, and only an item that kills its pool on
  its own is reported lost (:class:`TaskLost`). The others continue in a fresh pool.
- **One worker is no pool.** ``workers=1`` calls the function in this process: no
  pickling, no fork, a debugger and a traceback that work.
- **Dask.** ``dask://HOST:PORT`` sends the same chunks to an existing
  ``distributed`` cluster; a chunk that fails there (its worker died and the
  scheduler gave up) is resubmitted item by item, and an item that fails alone is
  lost. The cluster's workers need this package and the same file system (paths).

Results come back as ``(index, result)`` pairs in no particular order (progress is
reported as items finish); :func:`as_list` puts them back in the items' order.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from xlsummary.errors import ExecutorError

DASK_SCHEME = "dask://"


@dataclass(frozen=True)
class TaskLost:
    """An item whose function did not return: its process died (``died``) or it
    raised (``raised``: a bug, with the exception's text in ``detail``)."""

    reason: str
    detail: str = ""


def default_workers() -> int:
    return os.cpu_count() or 1


def chunk_size(count: int, workers: int) -> int:
    """About eight chunks per worker (load stays balanced when some files are
    slower), at most 32 items each (a lost chunk costs little to redo)."""
    return max(1, min(32, count // (workers * 8) or 1))


def run_tasks(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    executor: str = "local",
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    initializer: Callable[[], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(index, fn(items[index]))`` for every item, in no particular order; a
    :class:`TaskLost` in place of the result when its process died or ``fn`` raised.
    ``progress(n)`` is called with the number of items just finished. ``initializer``
    runs once in each worker process (and once here for ``workers=1``)."""
    if not items:
        return iter(())
    if executor.startswith(DASK_SCHEME):
        return _dask(fn, items, executor, progress)
    if executor != "local":
        raise ExecutorError("batch.bad_executor", executor=executor)
    workers = max(1, workers or default_workers())
    if workers == 1 or len(items) == 1:
        return _in_process(fn, items, progress, initializer)
    return _pool(fn, items, workers, progress, initializer)


def _call(fn: Callable[[Any], Any], item: Any) -> Any:
    try:
        return fn(item)
    except Exception as error:  # a bug in fn: this item is lost, the others go on
        return TaskLost("raised", f"{type(error).__name__}: {error}")


def _chunk(fn: Callable[[Any], Any], chunk: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """What a worker runs: a chunk of (index, item), answered as (index, result)."""
    return [(index, _call(fn, item)) for index, item in chunk]


def _in_process(fn, items, progress, initializer) -> Iterator[tuple[int, Any]]:
    if initializer is not None:
        initializer()
    for index, item in enumerate(items):
        result = _call(fn, item)
        if progress is not None:
            progress(1)
        yield index, result


def _context():
    """fork where it exists and is safe enough (Linux): workers start in a
    millisecond with everything the parent imported; elsewhere the default."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _pool(fn, items, workers, progress, initializer) -> Iterator[tuple[int, Any]]:
    size = chunk_size(len(items), workers)
    indexed = list(enumerate(items))
    pending: deque[list[tuple[int, Any]]] = deque(
        indexed[k : k + size] for k in range(0, len(indexed), size)
    )
    suspects: deque[tuple[int, Any]] = deque()
    while pending or suspects:
        if suspects:  # alone, one at a time: whoever breaks this pool broke the last one
            index, item = suspects.popleft()
            try:
                done = _run_window(fn, deque([[(index, item)]]), 1, None, initializer)
                yield from done
            except _Broken:
                yield index, TaskLost("died")
            if progress is not None:
                progress(1)
            continue
        try:
            yield from _run_window(fn, pending, workers, progress, initializer)
        except _Broken as broken:
            yield from broken.finished
            for chunk in broken.in_flight:
                suspects.extend(chunk)


class _Broken(Exception):
    """The pool broke: the results that still came back, and the chunks in flight."""

    def __init__(self, finished: list, in_flight: list) -> None:
        super().__init__("broken pool")
        self.finished, self.in_flight = finished, in_flight


def _run_window(fn, pending, workers, progress, initializer) -> list[tuple[int, Any]]:
    """Run chunks from ``pending`` (consumed) with at most two per worker in flight;
    return their results, or raise :class:`_Broken` when a worker died."""
    # a list, not a generator: the pool is shut down before the caller sees a result
    # (results are small outcomes; progress is reported as chunks finish)
    results: list[tuple[int, Any]] = []
    window = 2 * workers
    in_flight: dict[Future, list[tuple[int, Any]]] = {}
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=initializer)
    try:
        while pending or in_flight:
            broken = False
            while pending and len(in_flight) < window:
                chunk = pending.popleft()
                try:
                    in_flight[pool.submit(_chunk, fn, chunk)] = chunk
                except BrokenProcessPool:  # a worker died between tasks (killed while idle)
                    pending.appendleft(chunk)
                    broken = True
                    break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED) if in_flight else ((), ())
            for future in done:
                chunk = in_flight.pop(future)
                error = future.exception()
                if error is None:
                    results.extend(future.result())
                    if progress is not None:
                        progress(len(chunk))
                elif isinstance(error, BrokenProcessPool):
                    in_flight[future] = chunk
                    broken = True
                else:  # the chunk itself failed to pickle or unpickle: its items are lost
                    results.extend((i, TaskLost("raised", repr(error))) for i, _ in chunk)
                    if progress is not None:
                        progress(len(chunk))
            if broken:
                _collect_finished(in_flight, results, progress)
                raise _Broken(results, list(in_flight.values()))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _collect_finished(in_flight: dict, results: list, progress) -> None:
    """After a break, keep what finished before it; the rest stays in flight."""
    for future in [f for f in in_flight if f.done() and f.exception() is None]:
        chunk = in_flight.pop(future)
        results.extend(future.result())
        if progress is not None:
            progress(len(chunk))


def dask_client(address: str):
    """A ``distributed.Client`` for ``dask://HOST:PORT``: one sentence (exit 2 at
    the CLI) when dask is not installed or nobody answers there."""
    target = address[len(DASK_SCHEME) :]
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ExecutorError("batch.bad_executor", executor=address)
    try:
        from distributed import Client
    except ImportError:
        raise ExecutorError("batch.no_dask") from None
    try:
        # a refused connection is known at once; distributed would retry it for its timeout
        import socket

        socket.create_connection((host, int(port)), timeout=10).close()
        return Client(f"tcp://{target}", timeout=10)
    except (OSError, TimeoutError) as error:
        raise ExecutorError("batch.dask_unreachable", executor=address, reason=str(error)) from None


def _dask(fn, items, address, progress) -> Iterator[tuple[int, Any]]:
    from distributed import as_completed

    client = dask_client(address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = chunk_size(len(items), workers)
        indexed = list(enumerate(items))
        chunks = [indexed[k : k + size] for k in range(0, len(indexed), size)]
        futures = client.map(_chunk, [fn] * len(chunks), chunks, pure=False)
        by_key = dict(zip((f.key for f in futures), chunks, strict=True))
        retry: list[tuple[int, Any]] = []
        for future in as_completed(futures):
            chunk = by_key[future.key]
            try:
                results = future.result()
            except Exception:  # KilledWorker, or the chunk could not travel: item by item
                retry.extend(chunk)
                continue
            finally:
                future.release()
            if progress is not None:
                progress(len(results))
            yield from results
        if retry:
            singles = client.map(_chunk, [fn] * len(retry), [[p] for p in retry], pure=False)
            for future, (index, _) in zip(singles, retry, strict=True):
                try:
                    yield from future.result()
                except Exception as error:
                    yield index, TaskLost("died", type(error).__name__)
                if progress is not None:
                    progress(1)
    finally:
        client.close()


def as_list(results: Iterable[tuple[int, Any]], count: int) -> list[Any]:
    """Results back in the items' order."""
    ordered: list[Any] = [None] * count
    for index, result in results:
        ordered[index] = result
    return ordered
