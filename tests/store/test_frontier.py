"""The sync frontier: listed URLs become pending, settle, come back when listed as updated."""

from __future__ import annotations

from sqlalchemy import select

from cunzhao import Archive
from cunzhao.store.frontier import (
    RunCounts,
    add_listed,
    finish_run,
    frontier_size,
    known_urls,
    settle,
    start_run,
    to_fetch,
)
from cunzhao.store.schema import sync_runs


def test_listed_urls_are_pending_until_settled(archive_location: str) -> None:
    with Archive.open(archive_location) as archive, archive.engine.begin() as conn:
        assert frontier_size(conn, "feed") == 0
        assert add_listed(conn, "feed", [("https://a/1", "2024-01-01"), ("https://a/2", None),
                                         ("https://a/1", "2024-01-01")]) == 2
        assert add_listed(conn, "other", [("https://a/1", None)]) == 1  # per source
        assert [u.url for u in to_fetch(conn, "feed")] == ["https://a/1", "https://a/2"]
        settle(conn, "feed", "https://a/1", "fetched", http_status=200, etag='"v1"')
        settle(conn, "feed", "https://a/2", "failed", detail="timeout")
        # failed URLs are retried; fetched ones are not, unless asked for everything
        assert [u.url for u in to_fetch(conn, "feed")] == ["https://a/2"]
        assert {u.url: u.etag for u in to_fetch(conn, "feed", everything=True)} == {
            "https://a/1": '"v1"', "https://a/2": None}
        # listed again unchanged: nothing to do; listed as updated: pending again, validators kept
        assert add_listed(conn, "feed", [("https://a/1", "2024-01-01")]) == 0
        assert add_listed(conn, "feed", [("https://a/1", "2024-02-01")]) == 1
        again = to_fetch(conn, "feed")
        first = again[0]
        assert (first.url, first.state, first.etag) == ("https://a/1", "pending", '"v1"')
        assert known_urls(conn, "feed") == {"https://a/1": "2024-02-01", "https://a/2": None}
        assert frontier_size(conn, "feed") == 2


def test_a_run_is_recorded_open_then_closed(archive_location: str) -> None:
    with Archive.open(archive_location) as archive:
        with archive.engine.begin() as conn:
            run = start_run(conn, "feed")
        with archive.engine.connect() as conn:
            row = conn.execute(select(sync_runs).where(sync_runs.c.id == run)).one()
            assert (row.outcome, row.finished_at) == ("running", None)  # a killed run stays so
        counts = RunCounts(new=2, failed=1, requests=5, failures=[("https://a/3", "HTTP 500")])
        with archive.engine.begin() as conn:
            finish_run(conn, run, counts, None)
        with archive.engine.connect() as conn:
            row = conn.execute(select(sync_runs).where(sync_runs.c.id == run)).one()
    assert (row.outcome, row.new, row.failed, row.requests) == ("failed", 2, 1, 5)
    assert row.finished_at and "HTTP 500" in row.detail
