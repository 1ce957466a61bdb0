"""Counts drawn as bar charts at build time: the geometry of each bar, for a template to draw as SVG (and
to list as a table for screen readers). No script, no style attribute: the pages' policy allows neither."""
from __future__ import annotations

from dataclasses import dataclass

HEIGHT = 64  # the tallest bar, in the SVG's units
WIDTH = 480  # the width a chart of many bars fills
BAR, GAP = (6, 36), 3  # a bar's narrowest and widest, and the space between two
LABEL = 14  # room under the bars for their labels
SHORTEST = 4  # a count above zero, however small beside the largest: a bar one can see, and click
LABELLED = 28  # bars at least this wide each have their label; narrower ones, the first and the last


@dataclass(frozen=True)
class Bar:
    label: str  # "2024", "juin 2024"
    count: int
    href: str  # where the bar leads; "" for none
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Label:
    text: str
    x: int  # where it is anchored
    anchor: str  # "start", "middle" or "end" (SVG's text-anchor)


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int  # of the drawing, labels included
    baseline: int  # where the bars stand
    labels: tuple[Label, ...] = ()


def bar_chart(counts: list[tuple[str, int, str]], ticks: list[str] | None = None, largest: int = 0,
              labelled: bool = True) -> Chart:
    """A chart of `counts` ((label, count, href), in order): bars as tall as their count is to the
    largest, at least SHORTEST units for any count above zero. `ticks`: shorter labels to write under the bars
    ("juin" for "juin 2024"), when they are wide enough for one each. `largest`: the count of a full bar,
    for charts drawn to one scale (default: the largest of these counts). `labelled`: False for a chart in
    a stack of charts on one axis, which is labelled once (its bars keep their names)."""
    largest = largest or max((count for _, count, _ in counts), default=0) or 1
    bar = min(max(WIDTH // max(len(counts), 1) - GAP, BAR[0]), BAR[1])
    bars = []
    for number, (label, count, href) in enumerate(counts):
        height = max(round(HEIGHT * count / largest), SHORTEST if count else 0)
        bars.append(Bar(label, count, href, number * (bar + GAP), HEIGHT - height, bar, height))
    width = max(len(bars) * (bar + GAP) - GAP, bar)
    if bar >= LABELLED:
        labels = tuple(Label(tick, b.x + bar // 2, "middle") for b, tick in zip(bars, ticks or [b.label for b in bars]))
    else:
        labels = (Label(bars[0].label, 0, "start"),) + ((Label(bars[-1].label, width, "end"),) if len(bars) > 1 else ())
    return Chart(tuple(bars), width, HEIGHT + (LABEL if labelled else 2), HEIGHT,
                 labels if bars and labelled else ())
