"""Geometry for a small horizontal grouped bar chart drawn as inline SVG by a template.

No JavaScript and no inline style: the template writes these numbers into presentation
attributes (x, y, width, height) and colours come from CSS classes per series. The same
numbers are always shown in a table next to the chart, so the chart is decoration for
sighted readers and is hidden from screen readers' reading order by its own summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
LABEL_HEIGHT = 18  # the group's name sits on its own line above its bars (fits 360 px)
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 14
VALUE_ROOM = 44  # space right of the longest bar for its number


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Bar:
    series: str
    value: int
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    groups: tuple[Group, ...]
    series: tuple[Series, ...]


def bar_chart(
    rows: Sequence[tuple[str, dict[str, int]]], series: Sequence[Series], width: int = WIDTH
) -> BarChart:
    """`rows` are (group label, {series key: value}). Bars scale to the largest value; a
    non-zero value always gets at least a 1-unit bar so it is visibly not zero."""
    largest = max((values.get(s.key, 0) for _, values in rows for s in series), default=0)
    room = width - VALUE_ROOM
    groups = []
    y = 0
    for label, values in rows:
        label_y = y + LABEL_HEIGHT - 5
        y += LABEL_HEIGHT
        bars = []
        for s in series:
            value = values.get(s.key, 0)
            length = round(room * value / largest) if largest else 0
            if value and not length:
                length = 1
            bars.append(
                Bar(
                    series=s.key,
                    value=value,
                    x=0,
                    y=y,
                    width=length,
                    height=BAR_HEIGHT,
                    text_x=length + 4,
                    text_y=y + BAR_HEIGHT - 3,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        groups.append(Group(label=label, label_y=label_y, bars=tuple(bars)))
        y += GROUP_GAP
    return BarChart(
        width=width, height=max(y - GROUP_GAP, 0), groups=tuple(groups), series=tuple(series)
    )
