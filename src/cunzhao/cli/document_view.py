"""Terminal rendering of one document for ``cunzhao show``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from cunzhao import DocumentView

_CARD_FIELDS = [
    ("title", "标题"), ("author", "作者"), ("published_text", "发表日期"),
    ("original_url", "来源 (original)"), ("archive_url", "来源 (archive)"),
    ("collection", "CDS收藏"), ("copyright", "版权说明"),
]


def print_document(out: Console, doc: DocumentView) -> None:
    out.print(f"[bold]{doc.title}[/]", highlight=False)
    out.print(f"id {doc.id} · {doc.url}", highlight=False)
    out.print(f"published {doc.published or '—'} · captured {doc.captured_at or '—'}"
              f" · series {doc.series_tag or '—'}")
    status = doc.source_status
    if status and status["gone"]:
        out.print(f"[bold red]deleted at source[/]: {status['url']} — first seen gone "
                  f"{status['first_gone']}, last seen alive {status['last_alive'] or 'never'}"
                  f" ({status['detail'] or status['outcome']})", highlight=False)
    elif status:
        out.print(f"source checked {status['checked_at']}: {status['outcome']}", highlight=False)
    if doc.card:
        card = Table(title="CDT 档案卡", show_header=False, box=None)
        for key, label in _CARD_FIELDS:
            if doc.card.get(key):
                card.add_row(label, str(doc.card[key]))
        sources = doc.card.get("sources") or []
        if sources:
            card.add_row("来源", "、".join(s["text"] for s in sources))
        topics = doc.card.get("topics") or []
        if topics:
            card.add_row("主题归类", "、".join(t["text"] for t in topics))
        out.print(card)
    versions = Table("v", "captured", "ingested", "sha256", "source", title="versions")
    for v in doc.versions:
        mark = "*" if v.is_latest else ""
        versions.add_row(f"{v.n}{mark}", v.captured_at or "—", v.ingested_at, v.sha256[:16], v.source)
    out.print(versions)
    if doc.stats:
        table = Table("action", "object", "value", "qualifier", "period", "scope", title="stats")
        for s in doc.stats:
            period = f"{s.period.start or '?'}..{s.period.end or '?'}" if s.period else "—"
            table.add_row(s.action, s.object, f"{s.value:,}", s.qualifier, period, s.scope or "")
        out.print(table)
    if doc.cases:
        table = Table("targets", "kind", "measures", "regulator", "fine ¥", "categories",
                      title="cases")
        for c in doc.cases:
            table.add_row("、".join(c.targets), c.target_kind, ", ".join(c.measures),
                          c.regulator or "", f"{c.fine_cny:,}" if c.fine_cny else "",
                          ", ".join(c.categories))
        out.print(table)
    out.print()
    for block in doc.blocks:
        out.print(f"[bold]{block.text}[/]" if block.kind == "h" else block.text, highlight=False)
