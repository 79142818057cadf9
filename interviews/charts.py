"""The dashboard's charts as server-rendered SVG markup (no JavaScript, no inline style).

Built as strings here rather than in template loops: a year's heatmap is 371 cells, and the
template engine would spend most of the page's time on them.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

CELL, GAP, LEFT, TOP = 11, 3, 28, 16


def heatmap_svg(weeks: list[list[dict]], title: str) -> SafeString:
    pitch = CELL + GAP
    width, height = len(weeks) * pitch + LEFT + 2, 7 * pitch + TOP + 2
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="heatmap-title">',
        f'<title id="heatmap-title">{escape(title)}</title>',
    ]
    previous_month = None
    for w, week in enumerate(weeks):
        first = week[0]["day"]
        # A month is labelled at its first full week, so two labels never overlap.
        if first.month != previous_month and first.day <= 7 and w < len(weeks) - 2:
            parts.append(f'<text x="{w * pitch + LEFT}" y="10" class="chart-label">{first:%b}</text>')
            previous_month = first.month
    for row, label in ((1, "Tue"), (3, "Thu"), (5, "Sat")):
        parts.append(f'<text x="0" y="{row * pitch + TOP + 9}" class="chart-label">{label}</text>')
    for w, week in enumerate(weeks):
        for d, cell in enumerate(week):
            if cell["future"]:
                continue
            n = cell["answered"]
            label = f"{cell['day']:%a %-d %b %Y}: {n} answer{'' if n == 1 else 's'}"
            parts.append(
                f'<rect x="{w * pitch + LEFT}" y="{d * pitch + TOP}" width="{CELL}" height="{CELL}" rx="2" '
                f'class="heat heat-{cell["level"]}"><title>{label}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every value above is a number, a date or escaped


def bars_svg(values: list[int], title: str, *, css: str = "bar", width: int = 720, height: int = 160) -> SafeString:
    """Bars for a series of counts, scaled to the largest."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bar = max(1.0, slot * 0.8)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" class="chart-svg" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    for i, value in enumerate(values):
        if value:
            h = value / top * (height - 20)
            x, y = f"{i * slot:.2f}", f"{height - h:.2f}"
            parts.append(f'<rect x="{x}" y="{y}" width="{bar:.2f}" height="{h:.2f}" class="{css}"></rect>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_svg(values: list[int | None], title: str, *, width: int = 720, height: int = 160) -> SafeString:
    """A 0-100% line with guides at 0 and 100%; weeks without answers leave a gap."""
    step = width / max(len(values) - 1, 1)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" class="chart-svg" role="img">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" x2="{width}" y1="10" y2="10" class="axis"></line>',
        f'<line x1="0" x2="{width}" y1="{height - 10}" y2="{height - 10}" class="axis"></line>',
    ]
    segment = []
    points = []
    for i, value in enumerate([*values, None]):
        if value is None:
            if segment:
                parts.append(f'<polyline points="{" ".join(segment)}" class="line"></polyline>')
            segment = []
            continue
        x, y = i * step, height - 10 - value / 100 * (height - 20)
        segment.append(f"{x:.2f},{y:.2f}")
        points.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="4" class="dot"><title>{value}%</title></circle>')
    parts.extend(points)
    parts.append("</svg>")
    return mark_safe("".join(parts))
