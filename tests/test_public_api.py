"""The public API is exactly ``cunzhao.__all__``, and every name in it resolves."""

from __future__ import annotations

import cunzhao


def test_all_names_resolve_to_the_stage_objects() -> None:
    for name in cunzhao.__all__:
        assert getattr(cunzhao, name) is not None, name
    from cunzhao.archive import Archive
    from cunzhao.extract import Facts

    assert cunzhao.Archive is Archive
    assert cunzhao.Facts is Facts


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest (ruff's isort-style order for ``__all__``)."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    assert cunzhao.__all__ == sorted(cunzhao.__all__, key=_isort_key)
    public = {n for n in dir(cunzhao) if not n.startswith("_")}
    assert public == set(cunzhao.__all__) - {"__version__"}


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        cunzhao.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")
