"""The one lookup of what the tests need from outside the repository (``tests/testenv.py``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from testenv import SEED, fresh_pg_database, shared_dir


def test_the_examples_seed_is_the_shared_seed(corpus: Path) -> None:
    """Tests read the seed page from examples/: it must stay the shared corpus's bytes."""
    shared_seed = corpus / "seed" / "704712.md"
    digest = hashlib.sha256(shared_seed.read_bytes()).hexdigest()
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == digest


def _in_ci(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> type[BaseException]:
    """Set ``$CI`` (or unset it); what a missing resource then raises: a failure or a skip."""
    if ci:
        monkeypatch.setenv("CI", ci)
        return pytest.fail.Exception
    monkeypatch.delenv("CI", raising=False)
    return pytest.skip.Exception


@pytest.mark.parametrize("ci", [None, "true"])
def test_an_absent_shared_folder_skips_with_its_reason_or_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None
) -> None:
    (tmp_path / "corpus").mkdir()  # no gold/: not a shared folder either
    monkeypatch.setenv("CUNZHAO_SHARED", str(tmp_path))
    outcome = _in_ci(monkeypatch, ci)
    reason = f"shared corpus not found at {tmp_path}: set CUNZHAO_SHARED to the folder holding"
    with pytest.raises(outcome, match=reason):
        shared_dir()


@pytest.mark.parametrize("ci", [None, "true"])
def test_no_postgresql_server_skips_or_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str | None
) -> None:
    monkeypatch.delenv("CUNZHAO_TEST_PG", raising=False)
    outcome = _in_ci(monkeypatch, ci)
    with pytest.raises(outcome, match="set CUNZHAO_TEST_PG to a server URL"), fresh_pg_database():
        pass
