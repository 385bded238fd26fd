"""Standard archive formats out of the archive: WARC/1.1 (warc.py). JSONL lives in worker/store/reading.py."""

from worker.export.warc import iter_captures, user_agents_of, write_warc, write_warc_to

__all__ = ["iter_captures", "user_agents_of", "write_warc", "write_warc_to"]
