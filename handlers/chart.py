"""The standing as a picture: for each unit (and the department), bars for the share who
pledged, the average progress and each target's share reached so far, with the target's line
drawn across its bar; green when met, red when it cannot be met any more, grey while open.

People on phones would rather look than read a dozen percentages. Drawn with matplotlib's
object API on the Agg canvas (no pyplot: no global state, safe in a worker thread); the caller
runs `standing_png` in a thread, since a chart costs a tenth of a second of CPU. matplotlib's
own DejaVu Sans has every Vietnamese letter."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from campaign.standing import Status
from handlers.context import Translate
from handlers.messages import plain
from usecases.standing import UnitStanding

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLOURS = {
    Status.MET: "#2e7d32",
    Status.NOT_MET: "#c62828",
    Status.UNKNOWN: "#9e9e9e",
    Status.NOT_RATED: "#bdbdbd",
}
NEUTRAL = "#1565c0"
"""Pledges and progress: no target, one colour."""
MAX_GROUPS = 40
"""More units than this make bars too thin to read: the first ones are drawn, the text has all."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    """0–100."""
    colour: str
    target: float | None = None


def bars_of(t: Translate, item: UnitStanding) -> list[Bar]:
    """The bars of one unit, top to bottom (pure: what the picture says, testable as data)."""
    tally = item.tally
    bars = [
        Bar(plain(t("chart.pledged")), 100 * (tally.pledged_share or 0.0), NEUTRAL),
        Bar(plain(t("chart.progress")), tally.progress_average or 0.0, NEUTRAL),
    ]
    for target in item.targets:
        name = plain(t(f"target.{target.rule.metric}", percent=target.rule.percent))
        bars.append(
            Bar(name, 100 * (target.share or 0.0), COLOURS[target.status], target.rule.percent)
        )
    return bars


def group_title(t: Translate, item: UnitStanding) -> str:
    if item.unit is None:
        return plain(t("chart.department", count=item.tally.members))
    return plain(t("chart.unit", code=item.unit.code, count=item.tally.members))


def standing_png(t: Translate, title: str, results: list[UnitStanding]) -> bytes:
    """A PNG of `results` (at least one), about 900 pixels wide."""
    from matplotlib.figure import Figure  # imported here: a second at start-up otherwise

    groups = [(group_title(t, item), bars_of(t, item)) for item in results[:MAX_GROUPS]]
    rows = sum(len(bars) + 1 for _, bars in groups)
    figure = Figure(figsize=(9, 1.2 + 0.32 * rows), dpi=100)
    axes = figure.add_subplot()
    labels, position = [], 0.0
    for name, bars in groups:
        labels.append((position, name, True))
        position += 1
        for bar in bars:
            axes.barh(position, bar.value, color=bar.colour, height=0.7)
            axes.text(min(bar.value, 100) + 1, position, f"{round(bar.value)}%", va="center",
                      fontsize=8)  # fmt: skip
            if bar.target is not None:
                axes.plot([bar.target, bar.target], [position - 0.45, position + 0.45],
                          color="black", linewidth=1.5)  # fmt: skip
            labels.append((position, bar.label, False))
            position += 1
    axes.set_yticks([p for p, _, _ in labels], [text for _, text, _ in labels], fontsize=8)
    for tick, (_, _, heading) in zip(axes.get_yticklabels(), labels, strict=True):
        if heading:
            tick.set_fontweight("bold")
    axes.invert_yaxis()
    axes.set_xlim(0, 110)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=11)
    return png_of(figure, axes)


def png_of(figure: Figure, axes: Axes) -> bytes:
    """The finished chart as PNG bytes: no frame on the top and right, laid out to fit."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
