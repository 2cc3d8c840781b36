"""Package attributes that load their module on first use (PEP 562).

A package re-exports its public names without importing every stage at start-up, so that
``cunzhao --help`` stays quick: ``__getattr__ = lazy_exports("cunzhao.export", {name: module})``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``where[name]`` and caches the attribute."""
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
