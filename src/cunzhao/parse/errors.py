"""The one exception the parse stage raises."""

from __future__ import annotations


class ParseError(Exception):
    """Bytes that cannot be turned into a page. ``source`` names them, ``reason`` says why.

    The message is ``"SOURCE: reason"`` so that a batch report can print it as it is.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
