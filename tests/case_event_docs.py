"""Small wrapped pages reporting enforcement acts, some of them twice, for the consolidated-case
tests; written for the tests. Each page is one short report as a release, a news story or a
roundup would give it (one case each as the extractor reads them).

Expected events (``WINDOW_DAYS`` = 30):

- weibo 2020-06-10: two reports (the office's release, a news story six days later naming
  微博 and the office's short name) — one event, two sources, nothing in conflict;
- weibo 2020-06-15: summoned and told to rectify — other measures, another event;
- weibo 2020-12-20: the same measures as in June, six months later — another event;
- douyin 2021-03: two reports, 80万 and (traditional script) 100万 — a fine in conflict;
- kuaishou 2022-01: 北京市网信办 and 属地网信办 — an unnamed office contradicts nobody;
- xiaohongshu 2022-01: 上海市网信办 and 北京市网信办 — regulators in conflict;
- baidu-tieba 2022-05: a child of baidu; baidu itself 2022-06;
- two undated copies of one text, and an undated report of another act.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

from cunzhao import Archive

BASE = "https://example.org/cases/"

# page name: (publish date or None, text)
PAGES: dict[str, tuple[str | None, str]] = {
    "weibo-release": ("2020-06-10", ("2020年6月10日，北京市互联网信息办公室约谈新浪微博负责人，"
                      "责令其暂停更新热搜榜一周，并处罚款50万元。")),
    "weibo-news": ("2020-06-16", ("北京市网信办约谈微博负责人，责令其暂停更新热搜榜一周，"
                   "并处罚款50万元。")),
    "weibo-rectify": ("2020-06-15", "北京市网信办约谈微博负责人，责令立即整改。"),
    "weibo-december": ("2020-12-20", ("北京市网信办再次约谈新浪微博负责人，责令其暂停更新热搜榜"
                       "一周，并处罚款50万元。")),
    "douyin-release": ("2021-03-01", ("国家网信办依法约谈抖音负责人，针对平台传播谣言问题，"
                       "责令限期整改，并处罚款80万元。")),
    "douyin-repost": ("2021-03-05", ("國家網信辦依法約談抖音負責人，針對平臺傳播謠言問題，"
                      "責令限期整改，並處罰款100萬元。")),
    "kuaishou-beijing": ("2022-01-05", "北京市网信办依法约谈快手，责令整改。"),
    "kuaishou-local": ("2022-01-08", "属地网信办依法约谈快手，责令整改。"),
    "xhs-shanghai": ("2022-01-05", "上海市网信办依法约谈小红书，责令整改。"),
    "xhs-beijing": ("2022-01-07", "北京市网信办依法约谈小红书，责令整改。"),
    "tieba-guangdong": ("2022-05-01", "广东省网信办依法约谈百度贴吧负责人，责令限期整改。"),
    "baidu-cac": ("2022-06-01", "国家网信办依法约谈百度，责令整改。"),
    "copy-one": (None, "江苏省网信办依法约谈知乎，责令整改。"),
    "copy-two": (None, "江苏省网信办依法约谈知乎，责令整改。"),
    "undated-other": (None, "江苏省网信办依法约谈知乎负责人，责令限期整改。"),
}


def url_of(name: str) -> str:
    return f"{BASE}{name}.html"


def write_page(folder: Path, name: str, day: str | None, text: str) -> Path:
    """One page in the wrapped format (title link, rule, date line, body)."""
    folder.mkdir(parents=True, exist_ok=True)
    dated = ""
    if day is not None:
        moment = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC)
        dated = f"日期：{format_datetime(moment)}\n"
    path = folder / f"{name}.md"
    path.write_text(f"[{name}]({url_of(name)})\n------\n{dated}\n<p>{text}</p>\n",
                    encoding="utf-8")
    return path


def write_pages(folder: Path) -> Path:
    """Every page of ``PAGES`` in ``folder``; returns it."""
    for name, (day, text) in PAGES.items():
        write_page(folder, name, day, text)
    return folder


def ingested(location: str, folder: Path) -> str:
    """The archive at ``location`` holding every page of ``PAGES`` (written in ``folder``)."""
    with Archive.open(location) as archive:
        summary = archive.ingest([write_pages(folder)])
        assert summary.failed == 0, summary.failures
    return location
