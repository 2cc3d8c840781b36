"""Ingest on every core and on many machines: the per-capture work split from the writer.

- :mod:`~cunzhao.scale.prepare`: what a worker does to a capture (parse, extract, tokenise);
- :mod:`~cunzhao.scale.tasks`: the input cut into tasks (files, WARC files, WARC spans);
- :mod:`~cunzhao.scale.pool`: worker processes on this machine (``ingest --jobs``);
- :mod:`~cunzhao.scale.cluster`: a Dask cluster (``ingest --cluster``, ``scan``);
- :mod:`~cunzhao.scale.arrow`, :mod:`~cunzhao.scale.parquet`: prepared rows as Arrow tables
  and Parquet partitions (``--to-parquet``, ``load``);
- :mod:`~cunzhao.scale.prefilter`: the keyword screen ``scan`` reads WARC records through;
- :mod:`~cunzhao.scale.driver`: the runs built on these (prepared items for the writer,
  partitions, ``scan``); :mod:`~cunzhao.scale.warm`: what a worker loads once.

One writer — the process that runs ``cunzhao.ingest.ingest_items`` — writes everything, in
the order a serial ingest would, so every mode gives the same archive.
"""
