"""Export: the archive written out in other tools' formats (WARC, WACZ, tables)."""
