"""Stage 2 — parse: decode, read the wrapper header and archive card, extract clean text."""
