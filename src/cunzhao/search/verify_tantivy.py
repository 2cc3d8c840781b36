"""verify, for an archive searched with tantivy: does the folder of the archive's build hold
every latest version once, with its publish date, and nothing else?

The folder follows the database after each commit (:mod:`cunzhao.search.tantivy_engine`);
``verify`` lets it catch up first, as a search would. If it is then at another generation
than the snapshot being verified (another process committed meanwhile), it is not compared:
that is counted, not reported. Every document's ``order`` fast field holds its publish day
and version id (``tantivy_doc.order_key``), so one pass over the index names each version it
holds, without stored fields.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from sqlalchemy import Connection

from cunzhao.search.state import State
from cunzhao.search.verify import index_problem as _problem
from cunzhao.store.verify import VerifyProblem, VerifyReport

__all__ = ["tantivy_problems"]


def tantivy_problems(
    conn: Connection, state: State, latest: Collection[int],
    published: Mapping[int, str | None], report: VerifyReport,
) -> Iterator[VerifyProblem]:
    """Problems of the tantivy folder against the ``latest`` version ids (``published``: the
    publish date of each indexed one)."""
    import tantivy

    from cunzhao.search.tantivy_doc import ID_BITS, order_key
    from cunzhao.search.tantivy_engine import index_root
    from cunzhao.search.tantivy_folder import folder_at, read_stamp

    path = index_root(conn) / state.build
    stamp = read_stamp(path)
    folder = folder_at(path) if stamp is not None else None
    if folder is None or stamp is None:
        yield VerifyProblem("search index", str(path), f"holds no tantivy index of build "
                            f"{state.build}: the next search builds it, or `cunzhao reindex`")
        return
    if stamp.generation != state.generation:
        report.count("tantivy index at another generation than this snapshot, not compared")
        return
    with folder.lock:  # what the folder holds on disk now, not what this process loaded
        folder.reload(stamp)
    searcher = folder.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs),
                           order_by_field="order").hits
    held: dict[int, list[int]] = {}
    for key, _address in hits:
        held.setdefault(key & ((1 << ID_BITS) - 1), []).append(key)
    for vid in sorted(set(latest) - held.keys()):
        yield _problem(vid, "its text is not in the full-text index")
    for vid in sorted(held.keys() - set(latest)):
        yield _problem(vid, "its text is in the full-text index, but it is not a latest version")
    for vid in sorted(held.keys() & set(latest)):
        expected = order_key(published[vid], vid) if vid in published else None
        if len(held[vid]) > 1:
            yield _problem(vid, f"the full-text index holds it {len(held[vid])} times")
        elif expected is not None and held[vid][0] != expected:
            yield _problem(vid, f"the full-text index holds it under publish day "
                                f"{held[vid][0] >> ID_BITS or 'none'}, the version has "
                                f"{expected >> ID_BITS or 'none'}")
    report.count("tantivy documents", len(hits))
