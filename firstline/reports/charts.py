"""Charts as SVG text, drawn on the server: bars, stacked bars, horizontal bars and lines.

Pure functions of their numbers: no I/O, no JavaScript, nothing loaded from elsewhere. Every
chart carries a `<title>` and a `<desc>` (read out by screen readers), each mark its own
`<title>` (the value, as a tooltip), black text, and the Okabe-Ito palette, which stays
distinguishable for the common colour-vision deficiencies; lines also differ by dash and
marker shape, so a black-and-white print still tells them apart. The numbers themselves are
shown as a table next to every chart by the pages that use these.

The charts know no language: the caller gives the texts (titles, labels, series names) in
its own, and may give `gettext` (a gettext-like callable: the few sentences the charts write
themselves, in English here, are marked for extraction through it) and `fmt` (how numbers
are written). Without them, the charts write English ("1,234.50").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Okabe & Ito (2008), "Color Universal Design": black last, kept for text.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
INK = "#000000"
GRID = "#d0d0d0"
FONT = 'font-family="DejaVu Sans, Verdana, sans-serif" font-size="12"'
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 34, 44


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one per label."""

    name: str
    values: Sequence[float]


Format = Callable[[float], str]
Gettext = Callable[[str], str]


def english(message: str) -> str:
    """The default `gettext`: the charts' own sentences as written."""
    return message


def count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def ticks(top: float, *, wanted: int = 5, whole: bool = True) -> list[float]:
    """Round tick values from 0 to at least `top` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / wanted
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, round(step))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _svg(title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    label = escape(f"{title}. {desc}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{label}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {FONT}>'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def empty(title: str, *, text: str = "no data", width: int = 720, height: int = 120) -> str:
    """A chart with nothing to draw says so, rather than showing bare axes."""
    body = [
        f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="{INK}" '
        f'class="no-data">{escape(text)}</text>'
    ]
    return _svg(title, text, width, height, body)


def _legend(series: Sequence[Series], width: int, *, lines: bool = False) -> list[str]:
    out, x = [], float(LEFT)
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        if lines:
            dash = DASHES[i % len(DASHES)]
            out.append(
                f'<line x1="{x:.1f}" y1="14" x2="{x + 18:.1f}" y2="14" stroke="{colour}" '
                f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
            )
            out.append(_marker(i, x + 9, 14, colour))
        else:
            out.append(f'<rect x="{x:.1f}" y="8" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 22:.1f}" y="18" fill="{INK}">{escape(s.name)}</text>')
        x += 32 + 7 * len(s.name)
        if x > width - 60:
            break
    return out


def _y_axis(
    height: int, width: int, marks: list[float], fmt: Format
) -> tuple[list[str], Callable[[float], float]]:
    plot_h = height - TOP - BOTTOM
    top = marks[-1] or 1.0

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    out = []
    for mark in marks:
        out.append(
            f'<line x1="{LEFT}" y1="{y(mark):.1f}" x2="{width - RIGHT}" y2="{y(mark):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y(mark) + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(fmt(mark))}</text>"
        )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{width - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    return out, y


def _x_labels(labels: Sequence[str], width: int, height: int) -> list[str]:
    slot = (width - LEFT - RIGHT) / len(labels)
    longest = max(len(label) for label in labels)
    every = max(1, math.ceil((longest * 7 + 8) / slot))
    out = []
    for i in range(0, len(labels), every):
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<line x1="{x:.1f}" y1="{height - BOTTOM}" x2="{x:.1f}" y2="{height - BOTTOM + 4}" '
            f'stroke="{INK}"/>'
            f'<text x="{x:.1f}" y="{height - BOTTOM + 17}" text-anchor="middle" fill="{INK}">'
            f"{escape(labels[i])}</text>"
        )
    return out


def _describe(labels: Sequence[str], totals: Sequence[float], fmt: Format, gettext: Gettext) -> str:
    peak = max(range(len(totals)), key=lambda i: totals[i])
    text = gettext(
        "%(count)s values from %(first)s to %(last)s, total %(total)s; highest %(peak)s: %(value)s"
    )
    return text % {
        "count": len(labels), "first": labels[0], "last": labels[-1],
        "total": fmt(sum(totals)), "peak": labels[peak], "value": fmt(totals[peak]),
    }  # fmt: skip


def _mark(gettext: Gettext, label: str, value: str) -> str:
    """A mark's tooltip: its label and value."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 260,
    fmt: Format = count,
    empty_text: str = "no data",
    gettext: Gettext = english,
) -> str:
    """Vertical bars, one per label; several series are stacked, in the legend's order."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return empty(title, text=empty_text, width=width)
    grid, y = _y_axis(height, width, ticks(max(totals)), fmt)
    slot = (width - LEFT - RIGHT) / len(labels)
    bar = max(1.0, slot * 0.8)
    body = list(grid)
    for i, label in enumerate(labels):
        x, base = LEFT + slot * i + (slot - bar) / 2, 0.0
        for k, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            top, bottom = y(base + value), y(base)
            name = f"{s.name}, " if len(series) > 1 else ""
            body.append(
                f'<rect x="{x:.2f}" y="{top:.2f}" width="{bar:.2f}" height="{bottom - top:.2f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}" data-value="{value}">'
                f"<title>{escape(_mark(gettext, label, f'{name}{fmt(value)}'))}</title></rect>"
            )
            base += value
    body += _x_labels(labels, width, height)
    if len(series) > 1:
        body += _legend(series, width)
    return _svg(title, _describe(labels, totals, fmt, gettext), width, height, body)


def hbars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 720,
    fmt: Format = count,
    top: float | None = None,
    empty_text: str = "no data",
    gettext: Gettext = english,
) -> str:
    """Horizontal bars for named categories (long labels read well on the left)."""
    if not labels or not any(values):
        return empty(title, text=empty_text, width=width)
    row, label_w = 22, min(260, 12 + 7 * max(len(label) for label in labels))
    height = 12 + row * len(labels) + 8
    scale_top = top if top is not None else max(values)
    plot_w = width - label_w - 70
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 12 + row * i
        length = plot_w * value / scale_top if scale_top else 0
        body.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(label, (label_w - 12) // 7))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.2f}" height="{row - 6}" '
            f'fill="{PALETTE[0]}" data-value="{value}">'
            f"<title>{escape(_mark(gettext, label, fmt(value)))}</title></rect>"
            f'<text x="{label_w + length + 6:.2f}" y="{y + 14}" fill="{INK}">'
            f"{escape(fmt(value))}</text>"
        )
    body.append(f'<line x1="{label_w}" y1="10" x2="{label_w}" y2="{height - 6}" stroke="{INK}"/>')
    return _svg(title, _describe(labels, values, fmt, gettext), width, height, body)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: max(1, length - 1)] + "…"


def _marker(index: int, x: float, y: float, colour: str) -> str:
    shape = index % 4
    if shape == 0:
        return f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3.5" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{x - 3.5:.2f}" y="{y - 3.5:.2f}" width="7" height="7" fill="{colour}"/>'
    if shape == 2:
        points = f"{x:.2f},{y - 4.5:.2f} {x + 4.5:.2f},{y + 3.5:.2f} {x - 4.5:.2f},{y + 3.5:.2f}"
    else:
        corners = ((x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y))
        points = " ".join(f"{px:.2f},{py:.2f}" for px, py in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def lines(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 260,
    fmt: Format = count,
    empty_text: str = "no data",
    gettext: Gettext = english,
) -> str:
    """One line per series over the labels (days), each with its colour, dash and marker."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return empty(title, text=empty_text, width=width)
    peak = max(max(s.values) for s in series)
    grid, y = _y_axis(height, width, ticks(peak), fmt)
    slot = (width - LEFT - RIGHT) / len(labels)
    body = list(grid)
    for k, s in enumerate(series):
        colour, dash = PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)]
        points = [(LEFT + slot * (i + 0.5), y(v)) for i, v in enumerate(s.values)]
        path = " ".join(f"{px:.2f},{py:.2f}" for px, py in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-dasharray="{dash}" data-series="{escape(s.name)}"/>'
        )
        for (px, py), label, value in zip(points, labels, s.values, strict=True):
            body.append(
                f'<g data-value="{value}"><title>'
                f"{escape(_mark(gettext, label, f'{s.name}, {fmt(value)}'))}"
                f"</title>{_marker(k, px, py, colour)}</g>"
            )
    body += _x_labels(labels, width, height)
    body += _legend(series, width, lines=True)
    return _svg(title, _describe(labels, totals, fmt, gettext), width, height, body)
