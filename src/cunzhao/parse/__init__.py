"""Stage 2 — parse: decode, read the wrapper header and archive card, extract clean text."""

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
