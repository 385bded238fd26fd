"""The HTTP edge: polite, defensive fetching that returns `Fetched` values and never raises.

Public surface: `Fetcher` and `decode_html`; the other modules are its private rooms.
"""

from typing import TYPE_CHECKING, Any

from worker.fetch.charset import decode_html

if TYPE_CHECKING:
    from worker.fetch.client import Fetcher

__all__ = ["Fetcher", "decode_html"]


def __getattr__(name: str) -> Any:
    # Fetcher (and httpx, ~15 MB) loaded on first use: the examining processes need decode_html only.
    if name == "Fetcher":
        from worker.fetch.client import Fetcher

        return Fetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
