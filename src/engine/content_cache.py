"""Stored contents (DMN XML, catalogue files) kept in memory by their content hash.

A command asks which version is in force (a small indexed read) and takes that version's text from here;
only a version it has not seen is read in full.  The same text object is handed out every time, so the
parse and evaluation caches keyed by the text hit on identity instead of hashing and comparing tens of
kilobytes per command.  A hash names one content, so the cache can never answer with a stale text.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

LIMIT = 512  # distinct contents kept; a process owner's history stays far below this


class ContentCache:
    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lock = Lock()

    def text(self, digest: str, load: Callable[[], str]) -> str:
        found = self._texts.get(digest)
        if found is not None:
            return found
        text = load()
        with self._lock:
            if len(self._texts) >= LIMIT:
                self._texts.clear()
            return self._texts.setdefault(digest, text)


TEXTS = ContentCache()
