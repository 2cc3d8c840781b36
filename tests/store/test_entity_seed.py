"""The entity seed agrees with the extractor's platform list and holds together."""

from __future__ import annotations

from importlib import resources

from cunzhao import ENTITY_KINDS, LEVELS, fold, level_labels, provinces
from cunzhao.store.entities.seed import alias_key, seed


def platform_rows() -> list[list[str]]:
    text = resources.files("cunzhao.extract").joinpath("data/platforms.tsv").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def test_every_platform_name_resolves_to_its_canonical_entity() -> None:
    data = seed()
    by_id = {e.id: e for e in data.entities}
    rows = platform_rows()
    assert len(rows) > 100
    for written, canonical, en in rows:
        name, eid, _source = data.aliases[alias_key(written)]
        entity = by_id[eid]
        assert (entity.zh, entity.en) == (canonical, en), written
        assert written in entity.aliases or fold(written) == fold(name)


def test_the_seed_is_consistent() -> None:
    data = seed()
    ids = [e.id for e in data.entities]
    assert len(ids) == len(set(ids)) and data.conflicts == ()
    zh = [e.zh for e in data.entities]
    assert len(zh) == len(set(zh)), "two entities share a canonical name"
    for e in data.entities:
        assert e.kind in ENTITY_KINDS and (e.level is None or e.level in LEVELS), e.id
        assert e.parent is None or e.parent in ids, e.id
        assert alias_key(e.id) in data.aliases and data.aliases[alias_key(e.zh)][1] == e.id
        assert e.id == e.id.strip() and "/" not in e.id
    assert set(level_labels()) == set(LEVELS)
    assert len(data.fingerprint) == 64


def test_provinces_and_their_offices() -> None:
    found = provinces()
    assert len(found) == 31 and len({p.id for p in found}) == 31
    cities = [c for p in found for c in p.cities]
    assert len(cities) == len(set(cities)) > 280
    by_id = {e.id: e for e in seed().entities}
    for p in found:
        office = by_id[p.office]
        assert (office.kind, office.level, office.province) == ("regulator", "provincial", p.id)
        assert set(office.children) == {f"{p.office}-{c}" for c in p.cities}
    guangdong = by_id["cac-guangdong"]
    assert {"广东省网信办", "广东省互联网信息办公室", "广东网信办"} <= set(guangdong.aliases)
