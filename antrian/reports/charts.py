"""Charts as server-side SVG: nothing to load, readable on paper (patterns of grey, numbers
written on the marks)."""

from __future__ import annotations

from markupsafe import Markup, escape

from antrian.reports.tables import WEEKDAYS
from antrian.reports.tickets import QueueRow


def bars(rows: list[QueueRow], width: int = 560) -> Markup:
    """Issued and served per service, side by side."""
    rows = [r for r in rows if r.issued]
    if not rows:
        return Markup("")
    top = max(r.issued for r in rows)
    label_w, bar_h, gap = 170, 14, 12
    height = len(rows) * (2 * bar_h + gap) + 24
    scale = (width - label_w - 60) / top
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="Tiket diambil dan dilayani per layanan">'
    ]
    y = 4
    for r in rows:
        name = f"{r.key} · {r.name}"
        name = escape(name if len(name) <= 24 else name[:23] + "…")
        parts.append(
            f'<text x="0" y="{y + bar_h + 4}" class="label">{name}</text>'
            f'<rect x="{label_w}" y="{y}" width="{r.issued * scale:.1f}" height="{bar_h}" '
            f'class="issued"/><text x="{label_w + r.issued * scale + 4:.1f}" y="{y + bar_h - 3}">'
            f"{r.issued}</text>"
            f'<rect x="{label_w}" y="{y + bar_h}" width="{r.served * scale:.1f}" '
            f'height="{bar_h}" class="served"/><text x="{label_w + r.served * scale + 4:.1f}" '
            f'y="{y + 2 * bar_h - 3}">{r.served}</text>'
        )
        y += 2 * bar_h + gap
    parts.append(
        f'<rect x="{label_w}" y="{height - 14}" width="12" height="10" class="issued"/>'
        f'<text x="{label_w + 16}" y="{height - 5}">diambil</text>'
        f'<rect x="{label_w + 90}" y="{height - 14}" width="12" height="10" class="served"/>'
        f'<text x="{label_w + 106}" y="{height - 5}">dilayani</text></svg>'
    )
    return Markup("".join(parts))


def heat_map(hours: dict[int, dict[int, int]]) -> Markup:
    """Tickets issued by weekday and hour; darker is busier, the count is written in."""
    shown_hours = sorted({h for row in hours.values() for h in row}) or list(range(8, 16))
    shown_hours = list(range(min(shown_hours), max(shown_hours) + 1))
    days = [d for d in range(7) if d in hours or d < 5]
    top = max((n for row in hours.values() for n in row.values()), default=0) or 1
    cell, left, head = 44, 70, 22
    width, height = left + cell * len(shown_hours), head + cell * len(days)
    parts = [
        f'<svg class="chart heat" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="Jam tersibuk: tiket per hari dan jam">'
    ]
    for i, hour in enumerate(shown_hours):
        parts.append(
            f'<text x="{left + i * cell + cell / 2}" y="14" class="hour">{hour:02d}</text>'
        )
    for j, day in enumerate(days):
        y = head + j * cell
        parts.append(f'<text x="0" y="{y + cell / 2 + 5}" class="label">{WEEKDAYS[day]}</text>')
        for i, hour in enumerate(shown_hours):
            n = hours.get(day, {}).get(hour, 0)
            level = n / top
            shade = round(255 - level * 200)
            ink = "#fff" if level > 0.55 else "#222"
            parts.append(
                f'<rect x="{left + i * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="rgb({shade},{shade},{min(255, shade + 30)})" stroke="#999">'
                f"<title>{WEEKDAYS[day]} {hour:02d}:00: {n} tiket</title></rect>"
                f'<text x="{left + i * cell + cell / 2 - 1}" y="{y + cell / 2 + 4}" '
                f'fill="{ink}" class="count">{n or ""}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
