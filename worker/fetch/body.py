"""Read a streamed response body, undoing Content-Encoding ourselves with bounded output.

httpx would decompress for us, but without an output bound: a 10 MB gzip bomb would inflate to
gigabytes before any size check. Here every decoder hands its output on in small pieces and the
final sink counts them, so we stop as soon as the limit is passed and memory stays small.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable

import brotli
import httpx
import zstandard

Sink = Callable[[bytes], None]
_PIECE = 64 * 1024  # largest piece a decoder produces per step
_SNIFF = 512
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_MARKERS = (b"<html", b"<!doctype html", b"<head", b"<body", b"<p")


class TooLarge(Exception):
    """The decoded body passed the byte limit."""


class BadEncoding(Exception):
    """The body is not valid for its Content-Encoding."""


class NotHtml(Exception):
    """A body with no Content-Type does not look like HTML."""


class _Full(Exception):
    """A truncating read has its `max_bytes`: stop reading."""


class _Zlib:
    def __init__(self, sink: Sink, gzip: bool) -> None:
        self._sink = sink
        self._gzip = gzip
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes) -> None:
        if not self._gzip and not self._started and data:
            # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
            self._started = True
            if data[0] & 0x0F != 8:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        while data:
            out = self._obj.decompress(data, _PIECE)
            data = self._obj.unconsumed_tail
            if out:
                self._sink(out)
            if self._obj.eof:
                break  # trailing garbage after the stream is ignored, as browsers do

    def close(self) -> None:
        if not self._obj.eof:
            self._sink(self._obj.flush(_PIECE))


class _Brotli:
    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> None:
        out = self._obj.process(data, output_buffer_limit=_PIECE)
        while True:
            if out:
                self._sink(out)
            if self._obj.can_accept_more_data() or self._obj.is_finished():
                return
            out = self._obj.process(b"", output_buffer_limit=_PIECE)

    def close(self) -> None:
        pass


class _SinkWriter:
    """File-like adapter so zstandard's stream_writer can push pieces into a sink."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink(bytes(data))
        return len(data)


class _Zstd:
    def __init__(self, sink: Sink) -> None:
        dctx = zstandard.ZstdDecompressor()
        self._writer = dctx.stream_writer(_SinkWriter(sink), write_size=_PIECE, write_return_read=True)

    def feed(self, data: bytes) -> None:
        self._writer.write(data)

    def close(self) -> None:
        pass


_Decoder = _Zlib | _Brotli | _Zstd


def _decoder(name: str, sink: Sink) -> _Decoder:
    if name in ("gzip", "x-gzip"):
        return _Zlib(sink, gzip=True)
    if name == "deflate":
        return _Zlib(sink, gzip=False)
    if name == "br":
        return _Brotli(sink)
    if name == "zstd":
        return _Zstd(sink)
    raise BadEncoding(f"unsupported content-encoding {name!r}")


def encodings_of(content_encoding: str | None) -> list[str]:
    """Content-Encoding codings in the order they were applied, identity dropped."""
    if not content_encoding:
        return []
    names = [part.strip().lower() for part in content_encoding.split(",")]
    return [n for n in names if n and n != "identity"]


class _Collector:
    """The last sink: keeps the decoded bytes, enforces the limit, sniffs for HTML if asked."""

    def __init__(self, max_bytes: int, sniff_html: bool, truncate: bool = False) -> None:
        self.data = bytearray()
        self._max = max_bytes
        self._sniff = sniff_html
        self._truncate = truncate

    def __call__(self, piece: bytes) -> None:
        self.data += piece
        if self._sniff and len(self.data) >= _SNIFF:
            self.check_html()
        if len(self.data) > self._max:
            if self._truncate:
                del self.data[self._max:]
                raise _Full
            raise TooLarge(f"body exceeds {self._max} bytes once decoded")

    def check_html(self) -> None:
        if not self._sniff:
            return
        self._sniff = False
        head = bytes(self.data[:_SNIFF]).lower()
        if not any(marker in head for marker in _HTML_MARKERS):
            raise NotHtml("no Content-Type and the body does not look like HTML")


async def read_body(
    raw: AsyncIterator[bytes], content_encoding: str | None, max_bytes: int, *, sniff_html: bool = False,
    truncate: bool = False,
) -> bytes:
    """Decode a raw byte stream; raises TooLarge (unless `truncate`: then the first `max_bytes`
    are the body, as robots.txt wants), BadEncoding or NotHtml."""
    collector = _Collector(max_bytes, sniff_html, truncate)
    sink: Sink = collector
    decoders: list[_Decoder] = []
    for name in encodings_of(content_encoding):  # chain built inward-out: raw -> last applied -> ...
        decoder = _decoder(name, sink)
        decoders.insert(0, decoder)
        sink = decoder.feed
    try:
        async for chunk in raw:
            sink(chunk)
        for decoder in decoders:  # outermost first, so each flush feeds the next
            decoder.close()
    except _Full:
        pass
    except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
        raise BadEncoding(f"broken content-encoding: {exc}") from exc
    collector.check_html()
    return bytes(collector.data)


def is_html_type(content_type: str) -> bool:
    """True for a text/html or application/xhtml+xml Content-Type value."""
    return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def declared_too_long(headers: httpx.Headers, max_bytes: int) -> bool:
    """True when an uncompressed body announces more than `max_bytes` up front."""
    if encodings_of(headers.get("content-encoding")):
        return False  # compressed length says nothing about the decoded size
    length = headers.get("content-length", "")
    return length.isdigit() and int(length) > max_bytes


def raw_stream(response: httpx.Response) -> tuple[AsyncIterator[bytes], str | None]:
    """The raw byte stream of a streamed response and its Content-Encoding.

    A test transport may hand back a response httpx has already read (and decoded); its content
    is then served as is, since there is nothing left to bound.
    """
    if response.is_stream_consumed:
        return _once(response.content), None
    return response.aiter_raw(), response.headers.get("content-encoding")


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
