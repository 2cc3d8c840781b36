"""Package attributes that load their module on first use (PEP 562).

A package re-exports its public names without importing every stage at start-up, so that
``cunzhao --help`` stays quick: ``__getattr__ = lazy_exports("cunzhao.export", {name: module})``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``where[name]`` and caches the attribute.

    ``where[name]`` is a module (the attribute has the same name there) or ``module:attr``.
    """
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        found = where.get(name)
        if found is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = found.partition(":")
        value = getattr(import_module(module), attribute or name)
        namespace[name] = value
        return value

    return __getattr__
