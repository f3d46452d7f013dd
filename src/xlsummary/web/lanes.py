"""A bounded place for slow work, so that it cannot take the server's other threads.

``asyncio.to_thread`` shares one small pool (``min(32, cores + 4)`` threads): six
uploaded templates that loop until their time limit would hold every thread, and
every check behind them would wait. A :class:`Lane` runs its jobs in threads of its
own, at most ``workers`` at once; at most ``queue_size`` requests wait for a place,
each at most ``queue_timeout`` seconds, and past either bound the request is told to
come back later (:class:`Busy`, the API's 503 with ``Retry-After``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from xlsummary.errors import Busy

T = TypeVar("T")


class Lane:
    def __init__(self, name: str, workers: int, queue_size: int, queue_timeout: float) -> None:
        self.workers, self.queue_size, self.queue_timeout = (
            max(1, workers),
            queue_size,
            queue_timeout,
        )
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix=name)
        self._places: asyncio.Semaphore | None = None
        self.waiting = 0
        self.running = 0

    async def run(self, job: Callable[..., T], *args: Any) -> T:
        if self._places is None:  # made in the running event loop
            self._places = asyncio.Semaphore(self.workers)
        if self._places.locked() and self.waiting >= self.queue_size:
            raise Busy(self._retry_after(), "web.busy")
        self.waiting += 1
        try:
            await asyncio.wait_for(self._places.acquire(), self.queue_timeout)
        except TimeoutError:
            raise Busy(self._retry_after(), "web.busy") from None
        finally:
            self.waiting -= 1
        self.running += 1
        future = asyncio.get_running_loop().run_in_executor(self._pool, job, *args)

        def done(_: object) -> None:  # the place comes back when the thread is done
            self.running -= 1
            self._places.release()

        future.add_done_callback(done)
        return await asyncio.shield(future)

    def _retry_after(self) -> int:
        return max(1, min(60, round(self.queue_timeout / 4)))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
