"""A book's pages over the Dask cluster that runs the flow's tasks.

A book is one task (one edition), but its pages need not be read by one process: inside a task
on a Dask worker, the library's units of work (reading a page's OCR file, recognising a page
image, making a page's display copy: :mod:`pipeline.ingest.pages.pagework`) are handed to the
cluster, which runs them on any worker, here or on another machine (the page files must be at
the same path there: only paths travel). The task gives its worker's thread back while it
waits (``worker_client``), so that a worker of one thread can run pages of its own book.
Results come back in page order; the edition is the one a single process makes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

PAGE_PRIORITY = 1  # a waiting book's pages before the next batch of documents (Dask: higher first)


def pages_on_the_cluster() -> Callable | None:
    """The map that spreads a book's pages over the cluster this task runs on; None outside a
    Dask worker (the library then reads the pages in its own process)."""
    if "distributed" not in sys.modules:  # not on a Dask worker; importing it costs 0.3 s
        return None
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return None
    return on_the_cluster


def on_the_cluster(function: Callable, jobs: list) -> Iterator:
    """``function(job)`` for each job on the cluster's workers, in the order of the jobs. A
    single job (the first OCR pages, read one at a time until one chooses the book's models)
    is run here: sending it away would only add the round trip."""
    jobs = list(jobs)
    if len(jobs) <= 1:
        yield from map(function, jobs)
        return
    from distributed import worker_client

    with worker_client() as client:  # this thread leaves the worker's pool while it waits
        futures = client.map(function, jobs, pure=False, priority=PAGE_PRIORITY)
        for future in futures:
            yield future.result()
            future.release()  # its result is the caller's now: the worker may let it go
