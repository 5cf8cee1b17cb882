"""The SVG chart module: valid XML, marks proportional to the numbers, "no data" when empty."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from firstline.reports import charts
from firstline.reports.charts import Series

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.find(f"{NS}title") is not None and root.find(f"{NS}desc") is not None
    return root


def _marks(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if r.get("data-value") is not None]


def test_bars_are_proportional_to_their_values() -> None:
    root = _parse(charts.bars("Screened", ["mon", "tue", "wed"], [Series("n", [10, 20, 5])]))
    heights = {float(r.get("data-value", 0)): float(r.get("height", 0)) for r in _marks(root)}
    assert heights[20] == pytest.approx(2 * heights[10]) == pytest.approx(4 * heights[5])
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"mon", "tue", "wed", "0", "20"} <= texts
    assert "Screened" in (root.get("aria-label") or "")


def test_stacked_bars_stack_and_have_a_legend() -> None:
    series = [Series("LH", [3, 1]), Series("AF <&>", [1, 0])]
    svg = charts.bars("Messages", ["10 h", "11 h"], series)
    root = _parse(svg)
    marks = _marks(root)
    assert [float(m.get("data-value", 0)) for m in marks] == [3, 1, 1]  # the zero is not drawn
    first, on_top = marks[0], marks[1]
    assert float(on_top.get("y", 0)) + float(on_top.get("height", 0)) == pytest.approx(
        float(first.get("y", 0))
    )
    assert first.get("fill") != on_top.get("fill")
    assert "AF <&>" in {t.text for t in root.iter(f"{NS}text")}  # escaped in the source


def test_horizontal_bars_and_percentages() -> None:
    root = _parse(charts.hbars("Precision", ["a", "b"], [0.5, 1.0], fmt=charts.percent, top=1))
    widths = [float(r.get("width", 0)) for r in _marks(root)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert {"50 %", "100 %"} <= {t.text for t in root.iter(f"{NS}text")}


def test_lines_have_a_point_per_value_and_differ_by_dash() -> None:
    series = [Series("confirmed", [1, 4, 2]), Series("false positive", [0, 2, 2])]
    root = _parse(charts.lines("Dispositions", ["d1", "d2", "d3"], series))
    polylines = list(root.iter(f"{NS}polyline"))
    assert len(polylines) == 2
    assert polylines[0].get("stroke-dasharray") != polylines[1].get("stroke-dasharray")
    ys = [float(p.split(",")[1]) for p in (polylines[0].get("points") or "").split()]
    base = ys[0] + (ys[0] - ys[1]) / 3  # the y of zero: value 1 at ys[0], value 4 at ys[1]
    assert (base - ys[2]) == pytest.approx(2 * (base - ys[0]))
    assert len([g for g in root.iter(f"{NS}g") if g.get("data-value") is not None]) == 6


@pytest.mark.parametrize(
    "svg",
    [
        charts.bars("Empty", [], []),
        charts.bars("Zeros", ["a", "b"], [Series("n", [0, 0])]),
        charts.hbars("Empty", [], []),
        charts.lines("Empty", ["a"], [Series("n", [0])]),
        charts.bars("Vide", [], [], empty_text="aucune donnée"),
    ],
)
def test_empty_data_says_so(svg: str) -> None:
    root = _parse(svg)
    assert not _marks(root)
    said = [t.text for t in root.iter(f"{NS}text")]
    assert said in (["no data"], ["aucune donnée"])


def test_ticks_are_round_and_cover_the_top() -> None:
    assert charts.ticks(7) == [0, 2, 4, 6, 8]
    assert charts.ticks(1234)[-1] >= 1234
    assert charts.ticks(0) == [0.0, 1.0]
    assert all(float(t).is_integer() for t in charts.ticks(3))
