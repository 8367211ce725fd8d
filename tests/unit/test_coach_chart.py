"""The digest chart: pipeline by stage coloured by risk, this week against last."""

import io

from coach_support import KIT
from PIL import Image

from coaching.coach import pipeline_chart, render_png
from coaching.coach.chart import BEFORE_COLOUR, RISK_COLOURS

FIGURES = {
    "period_start": "2026-11-23",
    "pipeline_by_stage": [
        {"stage": "Prospecting", "deals": 4, "amounts": {"USD": 40000.0}},
        {"stage": "Negotiation/Review", "deals": 3, "amounts": {"GBP": 120000.0, "USD": 84000.0}},
    ],
    "risk_by_stage": [
        {"stage": "Prospecting", "deals_by_severity": [3, 1, 0, 0]},
        {"stage": "Negotiation/Review", "deals_by_severity": [1, 0, 1, 1]},
    ],
}
LAST_WEEK = {"pipeline_by_stage": [{"stage": "Prospecting", "deals": 2, "amounts": {}}]}


def colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1_000_000) or []}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[index : index + 2], 16) for index in (1, 3, 5))  # type: ignore[return-value]


def test_the_chart_data_splits_each_stage_by_risk_and_compares_with_last_week() -> None:
    chart = pipeline_chart(FIGURES, LAST_WEEK, KIT)
    assert chart.compared
    assert [(bar.stage, bar.by_severity, bar.before) for bar in chart.bars] == [
        ("Prospecting", (3, 1, 0, 0), 2),
        ("Negotiation/Review", (1, 0, 1, 1), 0),
    ]
    assert chart.bars[1].amount == "£120,000 + $84,000"
    assert chart.legend == ("no warning", "watch", "warning", "urgent", "the week before")
    assert "week of 2026-11-23" in chart.title


def test_without_a_risk_split_every_deal_counts_as_no_warning() -> None:
    older = {key: value for key, value in FIGURES.items() if key != "risk_by_stage"}
    chart = pipeline_chart(older, None, KIT)
    assert not chart.compared
    assert [bar.by_severity for bar in chart.bars] == [(4, 0, 0, 0), (3, 0, 0, 0)]
    assert all(bar.before is None for bar in chart.bars)


def test_the_png_shows_the_risk_colours_present_and_last_week_in_grey() -> None:
    png = render_png(pipeline_chart(FIGURES, LAST_WEEK, KIT))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == (900, 280)
    seen = colours(png)
    for level in range(4):
        assert rgb(RISK_COLOURS[level]) in seen, level
    assert rgb(BEFORE_COLOUR) in seen


def test_a_calm_week_has_no_urgent_red_and_no_grey_without_last_week() -> None:
    calm = FIGURES | {
        "risk_by_stage": [
            {"stage": "Prospecting", "deals_by_severity": [4, 0, 0, 0]},
            {"stage": "Negotiation/Review", "deals_by_severity": [3, 0, 0, 0]},
        ]
    }
    seen = colours(render_png(pipeline_chart(calm, None, KIT)))
    assert rgb(RISK_COLOURS[0]) in seen
    assert rgb(RISK_COLOURS[3]) not in seen
    assert rgb(BEFORE_COLOUR) not in seen
