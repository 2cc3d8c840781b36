"""Entities on both backends: any name lands on one entity, parents and children, recorded and
reversible edits that re-resolve the stored names, suggestions, grouping by issuer."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update

from cunzhao import Archive, Filters, UnknownEntity
from cunzhao.store.migrate import alembic_config
from cunzhao.store.schema import case_targets, cases, entity_seed, stats
from entity_docs import write_docs


@pytest.fixture
def archive(archive_location: str, tmp_path: Path) -> Archive:
    opened = Archive.open(archive_location)
    summary = opened.ingest([write_docs(tmp_path / "docs")])
    assert summary.failed == 0, summary.failures
    return opened


def stored_targets(archive: Archive) -> dict[str, str | None]:
    with archive.engine.connect() as conn:
        return dict(conn.execute(select(case_targets.c.name, case_targets.c.entity_id)).all())


@pytest.mark.parametrize("name", ["微博", "新浪微博", "Weibo", "weibo", "ＷＥＩＢＯ", " 新浪微博 "])
def test_every_name_of_weibo_is_one_entity(archive: Archive, name: str) -> None:
    found = archive.entity(name)
    assert found is not None and (found.id, found.zh, found.en) == ("weibo", "微博", "Weibo")
    assert found.parent == "sina" and "新浪微博" in found.aliases


def test_traditional_and_written_forms_resolve(archive: Archive) -> None:
    for name, eid in (("騰訊微信", "wechat"), ("騰訊", "tencent"), ("國家網信辦", "cac"),
                      ("北京市互聯網信息辦公室", "cac-beijing"), ("滁州市网信办", "cac-anhui-滁州")):
        found = archive.entity(name)
        assert found is not None and found.id == eid, name
    assert archive.entity("没有这个名字") is None
    office = archive.entity("cac-anhui-滁州")
    assert office is not None and (office.level, office.province, office.parent) == (
        "city", "anhui", "cac-anhui")


def test_names_are_kept_as_written_beside_their_entity(archive: Archive) -> None:
    targets = stored_targets(archive)
    assert targets["新浪微博"] == targets["微博"] == "weibo"
    assert targets["腾讯微信"] == "wechat" and targets["百度"] == "baidu"
    assert targets["梦聊"] == "梦聊" and targets["梦聊APP"] == "梦聊app"  # first seen: their own
    with archive.engine.connect() as conn:
        regulators = dict(conn.execute(select(cases.c.regulator, cases.c.regulator_entity_id))
                          .all())
        scopes = set(conn.execute(select(stats.c.scope, stats.c.scope_entity_id)).all())
    assert regulators["北京市互联网信息办公室"] == "cac-beijing"
    assert regulators["国家互联网信息办公室"] == regulators["国家网信办"] == "cac"
    assert scopes == {("广东省网信系统", "cac-guangdong")}


def test_a_target_filter_finds_the_entity_under_any_name(archive: Archive) -> None:
    expected = {"beijing-sina-weibo", "zhejiang-weibo"}
    for name in ("微博", "新浪微博", "Weibo", "ＷＥＩＢＯ"):
        filters = Filters(target=name)
        assert {h.title for h in archive.search("", filters).hits} == expected, name
        assert {d.title for d in archive.documents(filters)} == expected, name
        assert archive.count_documents(filters) == 2
    assert archive.search("", Filters(target="不存在")).total == 0
    facets = dict(archive.search("").facets["target"])
    assert facets["微博"] == 2 and facets["新浪微博"] == 1  # canonical beside as written


def test_children_are_included_on_request(archive: Archive) -> None:
    alone = archive.entity_cases("百度")
    assert [(c.entity, c.targets) for c in alone] == [("baidu", ("百度",))]
    family = archive.entity_cases("百度", include_children=True)
    assert [(c.entity, c.named, c.role) for c in family] == [
        ("baidu-tieba", ("百度贴吧",), "target"), ("baidu", ("百度",), "target")]
    assert [c.entity for c in archive.entity_cases("腾讯", include_children=True)] == ["wechat"]
    assert archive.entity_cases("腾讯") == []
    anhui = archive.entity_cases("安徽省网信办", include_children=True)
    assert [(c.entity, c.role) for c in anhui] == [("cac-anhui-滁州", "regulator")]
    baidu = archive.entity("百度")
    assert baidu is not None and {"baidu-tieba", "iqiyi"} <= set(baidu.children)


def test_alias_is_recorded_re_resolves_and_undoes(archive: Archive) -> None:
    assert stored_targets(archive)["微博客"] == "微博客"
    edit = archive.alias_entity("微博客", "Weibo", by="analyst")
    assert (edit.op, edit.name, edit.entity, edit.previous, edit.by) == (
        "alias", "微博客", "weibo", "微博客", "analyst")
    assert edit.at.endswith("Z") and edit.active
    assert stored_targets(archive)["微博客"] == "weibo"
    assert archive.entity("微博客").id == "weibo"  # type: ignore[union-attr]
    assert len(archive.entity_cases("微博")) == 3
    assert "shanghai-weiboke" in {h.title for h in archive.search("", Filters(target="微博")).hits}
    assert archive.entity("cac-anhui-滁州") is not None  # the rest of the table is rebuilt too

    undone = archive.undo_entity_edit(edit.id, by="reviewer")
    assert (undone.undone_by, undone.active) == ("reviewer", False)
    assert stored_targets(archive)["微博客"] == "微博客"
    assert len(archive.entity_cases("微博")) == 2
    assert "shanghai-weiboke" not in {h.title for h in
                                      archive.search("", Filters(target="微博")).hits}
    assert [e.id for e in archive.entity_edits()] == [edit.id]
    with pytest.raises(ValueError, match="undone already"):
        archive.undo_entity_edit(edit.id)
    with pytest.raises(LookupError):
        archive.undo_entity_edit(999)


def test_merge_moves_names_and_cases_and_undoes(archive: Archive) -> None:
    edit = archive.merge_entities("梦聊APP", "梦聊", by="analyst")
    assert (edit.op, edit.name, edit.entity) == ("merge", "梦聊app", "梦聊")
    merged = archive.entity("梦聊app")
    assert merged is not None and merged.id == "梦聊" and "梦聊APP" in merged.aliases
    assert stored_targets(archive)["梦聊APP"] == "梦聊"
    assert [c.named for c in archive.entity_cases("梦聊")] == [("梦聊", "梦聊APP")]
    assert "梦聊app" not in {e.id for e in archive.entities()}
    archive.undo_entity_edit(edit.id)
    assert stored_targets(archive)["梦聊APP"] == "梦聊app"
    assert archive.entity("梦聊APP").id == "梦聊app"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="one entity"):
        archive.merge_entities("新浪微博", "weibo")


def test_an_unknown_entity_is_refused_with_suggestions(archive: Archive) -> None:
    with pytest.raises(UnknownEntity) as refused:
        archive.alias_entity("度娘", "百渡")
    assert refused.value.suggestions[0].id == "baidu" and "百度 (baidu)" in str(refused.value)
    assert archive.entity_edits() == []


def test_suggestions_are_the_closest_names(archive: Archive) -> None:
    assert archive.suggest_entities("微薄")[0].id == "weibo"  # a tie, broken by mentions
    assert archive.suggest_entities("百渡")[0].id == "baidu"
    assert archive.suggest_entities("Weibó")[0].id == "weibo"
    assert archive.suggest_entities("梦聊ap", limit=2)[0].id == "梦聊app"
    assert archive.suggest_entities("𠀀𠀁") == []
    assert len(archive.suggest_entities("网信办", limit=3)) == 3


def test_grouping_by_province_and_level(archive: Archive) -> None:
    provinces = {c.key: c for c in archive.issuer_counts("province")}
    assert len(provinces) == 31
    assert (provinces["guangdong"].cases, provinces["guangdong"].figures) == (1, 2)
    assert provinces["anhui"].cases == 1  # a city office counts in its province
    assert (provinces["beijing"].total, provinces["xizang"].total) == (1, 0)
    assert next(c.key for c in archive.issuer_counts("province")) == "guangdong"
    levels = {c.key: (c.cases, c.figures, c.offices) for c in archive.issuer_counts("level")}
    assert levels == {"national": (2, 0, 1), "provincial": (4, 2, 4), "city": (1, 0, 1),
                      "local": (0, 0, 0), "system": (0, 0, 0)}


def test_a_new_seed_re_resolves_every_stored_name(archive: Archive) -> None:
    with archive.engine.begin() as conn:  # as if written before the lexicon knew these names
        conn.execute(update(case_targets).values(entity_id=None))
        conn.execute(update(entity_seed).values(fingerprint="an older seed"))
    archive.close()
    reopened = Archive.open(archive.location)
    targets = stored_targets(reopened)
    assert targets["新浪微博"] == "weibo" and targets["百度贴吧"] == "baidu-tieba"
    reopened.close()


def test_reextract_keeps_names_and_entities(archive: Archive) -> None:
    archive.alias_entity("微博客", "微博")
    before = stored_targets(archive)
    archive.reextract()
    assert stored_targets(archive) == before
    assert len(archive.entity_cases("微博")) == 3


def test_migration_down_and_up_keeps_the_names(archive: Archive) -> None:
    archive.alias_entity("微博客", "微博", by="analyst")
    archive.close()
    config = alembic_config()
    with Archive.open(archive.location).engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008_search_state")
    before, after = Archive.migrate(archive.location)
    assert (before, after) == ("0008_search_state", "0009_entities")
    with Archive.open(archive.location) as again:
        targets = stored_targets(again)
        assert targets["新浪微博"] == "weibo" and targets["微博客"] == "微博客"  # edits dropped
        assert again.entity_edits() == []
