"""The sources overview: what each source is, when it last ran, what it holds, and whether it is healthy.

The rows and their judgement are the store's and worker/health.py's, shared with `newsarchive status`."""

from __future__ import annotations

from worker.store.overview import list_sources

__all__ = ["list_sources"]
