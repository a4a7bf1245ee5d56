"""A closed poll's results as a picture: one horizontal bar per option, its share of the voters
and its number of votes written beside it.

Drawn like handlers/chart.py: matplotlib's object API on the Agg canvas (no pyplot, no global
state), so the caller may run `poll_png` in a worker thread (`asyncio.to_thread`); a chart
costs a tenth of a second of CPU, which must not stop the event loop.
"""

from __future__ import annotations

import textwrap

from campaign.polls import Share
from handlers.chart import png_of

BAR = "#1565c0"
WINNER = "#2e7d32"
LABEL_WIDTH = 28
"""Characters per line of an option's label: longer ones wrap."""


def poll_png(title: str, items: list[Share], voters_line: str) -> bytes:
    """A PNG about 800 pixels wide; the options top to bottom in their order, the most chosen
    in green."""
    from matplotlib.figure import Figure  # imported here: a second at start-up otherwise

    top = max((item.votes for item in items), default=0)
    figure = Figure(figsize=(8, 1.6 + 0.55 * len(items)), dpi=100)
    axes = figure.add_subplot()
    for row, item in enumerate(items):
        colour = WINNER if top and item.votes == top else BAR
        axes.barh(row, item.percent, color=colour, height=0.6)
        axes.text(min(item.percent, 100) + 1, row, f"{item.percent}% ({item.votes})",
                  va="center", fontsize=9)  # fmt: skip
    labels = ["\n".join(textwrap.wrap(item.text, LABEL_WIDTH)) or "—" for item in items]
    axes.set_yticks(list(range(len(items))), labels, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, 115)
    axes.set_xlabel(voters_line)
    axes.set_title("\n".join(textwrap.wrap(title, 70)), fontsize=11)
    return png_of(figure, axes)
