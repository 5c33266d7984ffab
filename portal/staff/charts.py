"""Geometry for the dashboard's server-rendered SVG charts.

Pure functions: numbers in, rectangles out. Templates draw them with classes (colours live in
the stylesheet, the CSP forbids style attributes) and every chart sits next to a table with
the same numbers, so nothing is only visual.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str  # shown as a <title> tooltip


@dataclass
class Chart:
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, text, css


def stacked_bars(
    rows: list[tuple[str, list[tuple[str, str, int]]]],
    *,
    width: int = 640,
    label_width: int = 150,
    bar_height: int = 18,
    gap: int = 8,
) -> Chart:
    """Horizontal stacked bars, one per row: (label, [(css, segment label, value)])."""
    biggest = max((sum(v for _, _, v in segments) for _, segments in rows), default=0) or 1
    room = width - label_width - 60
    chart = Chart(width=width, height=max(len(rows), 1) * (bar_height + gap) + gap)
    for i, (label, segments) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        chart.texts.append((label_width - 6, y + bar_height * 0.75, label, "label end"))
        x = float(label_width)
        total = 0
        for css, segment_label, value in segments:
            if value <= 0:
                continue
            w = room * value / biggest
            chart.rects.append(
                Rect(round(x, 1), y, round(w, 1), bar_height, css, f"{segment_label}: {value}")
            )
            x += w
            total += value
        chart.texts.append((x + 4, y + bar_height * 0.75, str(total), "value"))
    return chart


def column_bars(
    points: list[tuple[str, int]],
    *,
    width: int = 640,
    height: int = 180,
    css: str = "col-bar",
) -> Chart:
    """Vertical bars with their value above and label below (a time series)."""
    top, bottom = 18, 22
    biggest = max((v for _, v in points), default=0) or 1
    chart = Chart(width=width, height=height)
    if not points:
        return chart
    step = width / len(points)
    chart.rects.append(Rect(0, height - bottom, width, 1, "col-axis", ""))
    bar = step * 0.7
    for i, (label, value) in enumerate(points):
        h = (height - top - bottom) * value / biggest
        x = i * step + (step - bar) / 2
        y = height - bottom - h
        chart.rects.append(
            Rect(round(x, 1), round(y, 1), round(bar, 1), round(h, 1), css, f"{label}: {value}")
        )
        chart.texts.append((round(x + bar / 2, 1), round(y - 4, 1), str(value), "value middle"))
        chart.texts.append((round(x + bar / 2, 1), height - 6, label, "label middle"))
    return chart


def fill_bar(booked: int, capacity: int, *, width: int = 120, height: int = 12) -> Chart:
    """How full a session is; a session without a limit shows an empty track."""
    chart = Chart(width=width, height=height)
    chart.rects.append(
        Rect(0, 0, width, height, "fill-track", f"Kuota {capacity or 'tanpa batas'}")
    )
    if capacity:
        share = min(booked / capacity, 1)
        css = "fill-done full" if booked >= capacity else "fill-done"
        chart.rects.append(Rect(0, 0, round(width * share, 1), height, css, f"Terisi {booked}"))
    return chart
