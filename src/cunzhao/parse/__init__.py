"""Stage 2 — parse: decode, read the wrapper header and archive card, extract clean text.

Names load on first use (PEP 562): the record types (``parse.model``) cost nothing extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cunzhao.parse.encoding import decode
    from cunzhao.parse.errors import ParseError
    from cunzhao.parse.model import Block, Card, Link, Page
    from cunzhao.parse.page import PARSER_VERSION, parse_capture

__all__ = [
    "PARSER_VERSION",
    "Block",
    "Card",
    "Link",
    "Page",
    "ParseError",
    "decode",
    "parse_capture",
]

__getattr__ = lazy_exports(__name__, {
    "PARSER_VERSION": "cunzhao.parse.page",
    "Block": "cunzhao.parse.model",
    "Card": "cunzhao.parse.model",
    "Link": "cunzhao.parse.model",
    "Page": "cunzhao.parse.model",
    "ParseError": "cunzhao.parse.errors",
    "decode": "cunzhao.parse.encoding",
    "parse_capture": "cunzhao.parse.page",
})
