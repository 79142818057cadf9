"""Geometry for the dashboard's server-rendered SVG charts (no JavaScript, no inline style)."""

CELL, GAP = 11, 3


def heatmap_cells(weeks: list[list[dict]]) -> dict:
    cells = [
        {**cell, "x": w * (CELL + GAP) + 28, "y": d * (CELL + GAP) + 16}
        for w, week in enumerate(weeks)
        for d, cell in enumerate(week)
        if not cell["future"]
    ]
    months, previous = [], None
    for w, week in enumerate(weeks):
        month = week[0]["day"].month
        if month != previous:
            months.append({"x": w * (CELL + GAP) + 28, "label": week[0]["day"].strftime("%b")})
            previous = month
    return {
        "cells": cells,
        "months": months[1:] if len(months) > 1 and months[1]["x"] - months[0]["x"] < 3 * (CELL + GAP) else months,
        "width": len(weeks) * (CELL + GAP) + 30,
        "height": 7 * (CELL + GAP) + 18,
    }


def bar_chart(values: list[int], *, width: int = 720, height: int = 160) -> dict:
    """Bars for a series of counts, scaled to the largest."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bar = max(1.0, slot * 0.8)
    bars = [
        {
            "x": round(i * slot, 2),
            "width": round(bar, 2),
            "height": round(v / top * (height - 20), 2),
            "y": round(height - v / top * (height - 20), 2),
            "value": v,
        }
        for i, v in enumerate(values)
    ]
    return {"bars": bars, "width": width, "height": height, "max": max(values, default=0)}


def line_chart(values: list[int | None], *, width: int = 720, height: int = 160) -> dict:
    """A 0-100% line; weeks without answers leave a gap in the line."""
    step = width / max(len(values) - 1, 1)
    segments, current, dots = [], [], []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        x, y = round(i * step, 2), round(height - 10 - value / 100 * (height - 20), 2)
        current.append(f"{x},{y}")
        dots.append({"x": x, "y": y, "value": value})
    if current:
        segments.append(current)
    return {"segments": [" ".join(points) for points in segments], "dots": dots, "width": width, "height": height}
