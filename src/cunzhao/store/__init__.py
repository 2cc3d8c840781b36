"""Stage 4 — store: the only stage that writes (tables, blobs, migrations)."""
