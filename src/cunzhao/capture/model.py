"""The value the capture stage hands on: raw bytes and where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Capture:
    """One capture event: exactly the bytes that were read, and their provenance.

    ``source`` is the file path or URL the bytes were read from; ``source_kind`` says which
    (``file``, ``warc``, ``http``, ``memento``). ``target_url`` and ``captured_at`` are set when
    the container states them (a WARC record's Target-URI and Date, an HTTP fetch); for wrapped
    files they come from the page's own header at parse time.
    """

    data: bytes
    source: str
    source_kind: str = "file"
    target_url: str | None = None
    captured_at: datetime | None = None
    content_type: str | None = None
    http_headers: bytes | None = None  # the raw HTTP response header block, when known

    @property
    def is_page(self) -> bool:
        """Whether these bytes are a page for the parse stage, else kept raw (an image, a PDF).

        The one rule, for every caller: a file is a page by construction (``capture.files``
        yields only pages, and skips the rest); a container (WARC, HTTP) says so in its content
        type: HTML, or ``text/markdown`` for a wrapped page (as cunzhao's own WARC export labels
        them); no content type at all is read as a page.
        """
        if self.source_kind == "file" or self.content_type is None:
            return True
        kind = self.content_type.lower()
        return "html" in kind or "markdown" in kind


class CaptureError(Exception):
    """A source that could not be read. ``source`` names it, the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[CaptureError], tuple[str, str]]:
        """Pickled as its source and reason (worker processes hand failures back)."""
        return CaptureError, (self.source, self.reason)


@dataclass(frozen=True)
class Skipped:
    """A file found while walking a folder that is not a page (a README, a manifest)."""

    source: str
    reason: str
