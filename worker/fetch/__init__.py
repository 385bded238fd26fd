"""The HTTP edge: polite, defensive fetching that returns `Fetched` values and never raises.

Public surface: `Fetcher` and `decode_html`; the other modules are its private rooms.
"""

from worker.fetch.charset import decode_html
from worker.fetch.client import Fetcher

__all__ = ["Fetcher", "decode_html"]
