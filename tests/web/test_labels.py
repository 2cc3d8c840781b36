"""Every interface label the templates ask for exists in both languages."""

from __future__ import annotations

import re
from importlib import resources

from cunzhao.search import FACETS
from cunzhao.web.i18n import _table, label

TEMPLATES = resources.files("cunzhao.web").joinpath("templates")


def test_every_label_used_by_a_template_is_defined() -> None:
    used = set()
    for template in TEMPLATES.iterdir():
        used |= set(re.findall(r"\bt\('([a-z_0-9]+)'\)", template.read_text(encoding="utf-8")))
    used |= {f"facet_{f}" for f in FACETS}
    used |= {f"card_{k}" for k in ("title", "author", "published_text", "collection",
                                   "copyright", "sources", "topics")}
    used |= {"as_target", "as_regulator"}
    assert len(used) > 60
    assert sorted(used - set(_table())) == []
    for key in used:
        zh, en = label(key, "zh"), label(key, "en")
        assert zh and en and (zh != en or key in ("nav_api", "sha256"))
