"""The digest's chart: pipeline by stage, coloured by risk, this week against last.

`pipeline_chart` reads a digest's figures (and the previous digest's, when there is
one) into plain data; `render_png` draws it with matplotlib's Agg canvas, imported
only when a chart is drawn, so nothing else pays for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coaching.coach.figures import money
from coaching.coach.kit import CoachKit

RISK_COLOURS = ("#9cc5a1", "#f2d06b", "#f29c4b", "#d9534f")  # none, watch, warning, urgent
BEFORE_COLOUR = "#aab7c9"  # a blue-grey no text anti-aliasing produces
DPI = 100


@dataclass(frozen=True, slots=True)
class StageBar:
    stage: str
    by_severity: tuple[int, int, int, int]  # deals with no warning, watch, warning, urgent
    before: int | None  # last week's deals in the stage (None: no earlier digest)
    amount: str

    @property
    def deals(self) -> int:
        return sum(self.by_severity)


@dataclass(frozen=True, slots=True)
class PipelineChart:
    title: str
    bars: tuple[StageBar, ...]
    compared: bool
    legend: tuple[str, ...]  # the four risk levels, then last week (levels absent: not shown)
    deals_label: str  # "{deals} deals · {amount}"
    axis_label: str


def pipeline_chart(
    figures: dict[str, Any], previous: dict[str, Any] | None, kit: CoachKit
) -> PipelineChart:
    """The chart's data from this digest's figures and last week's (or None)."""
    words = kit.wording
    risk = {
        row["stage"]: tuple(row["deals_by_severity"]) for row in figures.get("risk_by_stage", [])
    }
    before = (
        {row["stage"]: row["deals"] for row in previous.get("pipeline_by_stage", [])}
        if previous
        else None
    )
    bars = []
    for row in figures["pipeline_by_stage"]:
        counts = risk.get(row["stage"], (row["deals"], 0, 0, 0))
        amounts = " + ".join(
            money(Decimal(str(total)), currency) for currency, total in row["amounts"].items()
        )
        bars.append(
            StageBar(
                stage=row["stage"],
                by_severity=(counts[0], counts[1], counts[2], counts[3]),
                before=None if before is None else before.get(row["stage"], 0),
                amount=amounts or words.text("chart.amount_unknown"),
            )
        )
    title_key = "chart.title_compared" if previous else "chart.title"
    return PipelineChart(
        title=words.text(title_key).format(period=figures["period_start"]),
        bars=tuple(bars),
        compared=previous is not None,
        legend=(
            words.text("chart.no_warning"),
            *(kit.severity(level) for level in (1, 2, 3)),
            words.text("chart.last_week"),
        ),
        deals_label=words.text("chart.deals_label"),
        axis_label=words.text("chart.axis"),
    )


def render_png(chart: PipelineChart) -> bytes:
    """The chart as PNG bytes (matplotlib's Agg canvas: no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    rows = max(1, len(chart.bars))
    figure = Figure(figsize=(9, 1.4 + 0.7 * rows), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    height = 0.36 if chart.compared else 0.6
    widest = max([bar.deals for bar in chart.bars] + [bar.before or 0 for bar in chart.bars] + [1])
    for index, bar in enumerate(chart.bars):
        y = -index
        left = 0
        for level, count in enumerate(bar.by_severity):
            if count:
                axes.barh(y, count, height=height, left=left, color=RISK_COLOURS[level])
                left += count
        label = chart.deals_label.format(deals=bar.deals, amount=bar.amount)
        axes.text(left + widest * 0.01, y, label, va="center", fontsize=9)
        if chart.compared and bar.before is not None:
            axes.barh(y - height, bar.before, height=height * 0.6, color=BEFORE_COLOUR)
    axes.set_yticks([-index for index in range(len(chart.bars))])
    axes.set_yticklabels([bar.stage for bar in chart.bars])
    axes.set_xlim(0, widest * 1.45)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(chart.axis_label)
    axes.set_title(chart.title, fontsize=11, loc="left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    present = [level for level in range(4) if any(bar.by_severity[level] for bar in chart.bars)]
    handles = [Patch(color=RISK_COLOURS[level], label=chart.legend[level]) for level in present]
    if chart.compared:
        handles.append(Patch(color=BEFORE_COLOUR, label=chart.legend[4]))
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
