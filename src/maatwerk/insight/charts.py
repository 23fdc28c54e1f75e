"""Charts, drawn on the server as SVG: pygal for bars (pure Python; about 25 ms a chart, where matplotlib's
SVG backend took 150-250 ms on the same machine, which kept a dashboard of a dozen charts over a second), and
a small SVG writer of our own for the route flow (a Sankey diagram, which pygal does not draw).

Every chart:
* uses the Okabe-Ito colours (readable with every common form of colour blindness), the same as
  ``--c1..--c7`` in web/static/web/maatwerk.css;
* draws only numbers that may be shown (a suppressed cell is drawn as nothing; see suppress.py);
* is included as ``<img src="data:image/svg+xml;base64,...">`` with an alt text (the page's CSP forbids
  inline styles and scripts; an SVG inside an <img> runs nothing), so it works without JavaScript, in
  WeasyPrint's PDFs and in every browser; the numbers are in a table beneath it.

Rendering is cached by the chart's data (an LRU of the SVG text), so a dashboard whose numbers did not
change is not drawn again.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

#: Okabe & Ito (2008), in the order of --c1..--c7 in maatwerk.css, then black.
OKABE_ITO = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
INK = "#1c2430"
MUTED = "#4d5a6a"
GRID = "#d5dbe3"
HIDDEN = "#c8ced6"


@dataclass(frozen=True)
class Chart:
    """What a page shows: the SVG as a data URI, its alt text and the id of the table with its numbers."""

    uri: str
    alt: str
    svg: str


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _nice_step(top: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about five ticks."""
    if top <= 0:
        return 1
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _number(value: float) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


def _label(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@lru_cache(maxsize=256)
def _bars(spec: str) -> str:
    import pygal
    from pygal.style import Style

    data = json.loads(spec)
    categories, series, values = data["categories"], data["series"], data["values"]
    horizontal, stacked = data["horizontal"], data["stacked"]
    kind = {(False, False): pygal.Bar, (False, True): pygal.StackedBar, (True, False): pygal.HorizontalBar,
            (True, True): pygal.HorizontalStackedBar}[(horizontal, stacked)]
    n = max(len(categories), 1)
    labels = [_label(c, 44 if horizontal else 28) for c in categories]
    longest = max((len(c) for c in labels), default=0)
    if stacked:
        top = max((sum(row) for row in values), default=0)
    else:
        top = max((v for row in values for v in row), default=0)
    step = _nice_step(top) if not data.get("integer", True) else max(1, _nice_step(top))
    ticks = [round(i * step, 6) for i in range(int(math.ceil(top / step)) + 1)] if top else [0, 1]
    style = Style(
        colors=OKABE_ITO, background="#ffffff", plot_background="#ffffff", foreground=INK,
        foreground_strong=INK, foreground_subtle=GRID, opacity="1", opacity_hover="1", transition="0s",
        font_family="DejaVu Sans, Liberation Sans, Arial, sans-serif", label_font_size=13, major_label_font_size=13,
        value_font_size=12, legend_font_size=13, title_font_size=14, no_data_font_size=16, guide_stroke_color=GRID,
        major_guide_stroke_color=GRID)
    height = max(170, 34 * n + 90) if horizontal else 380
    if horizontal:
        height = max(height, 26 * len(series) + 60)
    chart = kind(
        style=style, width=900, height=height, explicit_size=True, js=[], disable_xml_declaration=True,
        show_legend=len(series) > 1, legend_at_bottom=False, legend_box_size=14,
        truncate_legend=28, truncate_label=46, x_label_rotation=0 if horizontal or longest <= 9 else 30,
        y_title=data.get("unit") or None, show_x_guides=False, show_y_guides=True, print_values=False,
        no_data_text="geen gegevens", value_formatter=_number, margin=12, spacing=12, rounded_bars=0,
        tooltip_fancy_mode=False,
        # whole numbers on the axis (pygal would print 0.5 students); not for an empty chart (a pygal bug)
        **({"y_labels": ticks, "range": (0, ticks[-1])} if top else {}),
    )
    chart.x_labels = labels
    for k, name in enumerate(series):
        chart.add(name, [row[k] for row in values])
    return chart.render(is_unicode=True)


def bar_chart(categories, series, values, *, alt: str, horizontal: bool = False, stacked: bool = False,
              unit: str = "", integer: bool = True) -> Chart:
    """Bars: `values[i][k]` is series k of category i (numbers; a hidden cell is 0)."""
    spec = json.dumps({"categories": list(categories), "series": list(series),
                       "values": [[float(v or 0) for v in row] for row in values],
                       "horizontal": horizontal, "stacked": stacked, "unit": unit, "integer": integer},
                      sort_keys=True)
    svg = _bars(spec)
    return Chart(data_uri(svg), alt, svg)


def table_chart(table, *, alt: str, horizontal: bool = False, stacked: bool = False, unit: str = "",
                columns: list[int] | None = None) -> Chart | None:
    """Bars from a CountTable: one category per row, one series per column (only shown cells); None for a
    table without rows (the page says there is nothing to show)."""
    if not table.rows:
        return None
    cols = columns if columns is not None else list(range(len(table.cols)))
    values = [[table.cells[i][j].chart_value for j in cols] for i in range(len(table.rows))]
    return bar_chart(table.rows, [table.cols[j] for j in cols], values, alt=alt, horizontal=horizontal,
                     stacked=stacked, unit=unit)


# --- the route flow (Sankey) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    stage: int          # 0: from stage 0 to 1; 1: from stage 1 to 2
    source: str
    target: str
    value: int


@lru_cache(maxsize=64)
def _sankey(spec: str) -> str:  # noqa: C901 - one drawing
    data = json.loads(spec)
    stages: list[list[tuple[str, int]]] = [[(n, v) for n, v in stage] for stage in data["stages"]]
    flows = [Flow(*f) for f in data["flows"]]
    titles = data["titles"]
    width, height = 1100, 470
    top, bottom, node_w = 46, 24, 16
    xs = [250, 540, 830]
    gap = 8
    scale_total = max((sum(v for _, v in stage) for stage in stages), default=0) or 1
    usable = height - top - bottom - gap * max(len(s) for s in stages)
    unit = usable / scale_total
    pos: list[dict[str, list[float]]] = []
    for stage in stages:
        y = top
        placed = {}
        for name, value in stage:
            h = max(value * unit, 2.0)
            placed[name] = [y, h, y, y]  # top, height, next outgoing y, next incoming y
            y += h + gap
        pos.append(placed)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for k, title in enumerate(titles):
        anchor = "start" if k == 0 else ("end" if k == 2 else "middle")
        x = xs[k] - 240 if k == 0 else (xs[k] + 260 if k == 2 else xs[k] + node_w / 2)
        out.append(f'<text x="{x:.0f}" y="22" text-anchor="{anchor}" font-weight="bold" fill="{INK}">'
                   f'{escape(title)}</text>')
    colour_of = {name: OKABE_ITO[i % 7] for i, (name, _) in enumerate(stages[0])}
    for i, (name, _) in enumerate(stages[1]):
        colour_of.setdefault(name, OKABE_ITO[i % 7])
    for flow in flows:
        a = pos[flow.stage].get(flow.source)
        b = pos[flow.stage + 1].get(flow.target)
        if a is None or b is None or flow.value <= 0:
            continue
        h = flow.value * unit
        x0, x1 = xs[flow.stage] + node_w, xs[flow.stage + 1]
        y0, y1 = a[2], b[3]
        a[2] += h
        b[3] += h
        mid = (x0 + x1) / 2
        colour = colour_of.get(flow.source, OKABE_ITO[0])
        out.append(f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} '
                   f'L{x1:.1f},{y1 + h:.1f} C{mid:.1f},{y1 + h:.1f} {mid:.1f},{y0 + h:.1f} {x0:.1f},{y0 + h:.1f} Z" '
                   f'fill="{colour}" fill-opacity="0.45" stroke="{colour}" stroke-opacity="0.7" stroke-width="0.5">'
                   f'<title>{escape(flow.source)} → {escape(flow.target)}: {flow.value}</title></path>')
    for k, stage in enumerate(stages):
        for name, value in stage:
            y, h = pos[k][name][0], pos[k][name][1]
            colour = colour_of.get(name, MUTED) if k < 2 else INK
            out.append(f'<rect x="{xs[k]}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour}"/>')
            short = re.sub(r"\s*\(.*\)$", "", name) if k == 2 else name  # "Kok (kwalificatiedossier ...)" -> "Kok"
            label = f"{_label(short, 34)} ({_number(value)})"
            if k == 0:
                out.append(f'<text x="{xs[k] - 6}" y="{y + h / 2 + 4:.1f}" text-anchor="end" fill="{INK}">'
                           f'{escape(label)}</text>')
            else:
                out.append(f'<text x="{xs[k] + node_w + 6}" y="{y + h / 2 + 4:.1f}" fill="{INK}">'
                           f'{escape(label)}</text>')
    if not flows:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{MUTED}">geen gegevens</text>')
    out.append("</svg>")
    return "".join(out)


def sankey(stages, flows, titles, *, alt: str) -> Chart:
    """A three-stage flow: `stages` is [[(node, size), ...] x 3]; `flows` Flow rows between stages 0-1 and 1-2.
    Node sizes and flows must be numbers that may be shown."""
    spec = json.dumps({"stages": [[[n, int(v)] for n, v in stage] for stage in stages],
                       "flows": [[f.stage, f.source, f.target, int(f.value)] for f in flows],
                       "titles": list(titles)}, sort_keys=True)
    svg = _sankey(spec)
    return Chart(data_uri(svg), alt, svg)
