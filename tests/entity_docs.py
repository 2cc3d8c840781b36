"""Small wrapped pages (the duty-machine format) naming platforms and regulators under several
of their names, for the entity tests; written by the tests themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

# name: (publish date, text) — one case (or count) each, as the extractor reads them
DOCS: dict[str, tuple[str, str]] = {
    "beijing-sina-weibo": ("2021-03-01", "北京市互联网信息办公室依法约谈新浪微博，责令其立即整改。"),
    "guangdong-tieba": ("2022-05-01", "广东省网信办依法约谈百度贴吧负责人，责令限期整改。"),
    "cac-baidu-traditional": ("2022-06-01", "國家互聯網信息辦公室依法約談百度，責令其全面整改。"),
    "zhejiang-weibo": ("2023-01-10", "浙江省网信办依法约谈微博，责令整改，并处以罚款50万元。"),
    "chuzhou-wechat": ("2023-02-01", ("滁州市网信办依法约谈腾讯微信，责令整改。2022年，广东省网信"
                       "系统共约谈网站120家，关闭违法违规账号3000个。")),
    "shanghai-weiboke": ("2023-03-01", "上海市网信办依法约谈“微博客”平台，责令整改。"),
    "cac-apps": ("2023-04-01", "国家网信办依法下架“梦聊”“梦聊APP”等一批违法违规移动应用程序。"),
}


def write_docs(folder: Path) -> Path:
    """Write every page of ``DOCS`` into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, (name, (day, text)) in enumerate(DOCS.items(), 1):
        url = f"https://example.org/entities/{n}.html"
        stamp = format_datetime(datetime.combine(date.fromisoformat(day), datetime.min.time(),
                                                 tzinfo=UTC))
        (folder / f"{name}.md").write_text(
            f"[{name}]({url})\n------\n日期：{stamp}\n\n<p>{text}</p>\n", encoding="utf-8")
    return folder
