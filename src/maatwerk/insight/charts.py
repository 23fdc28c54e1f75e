"""Charts, drawn on the server as SVG: matplotlib (the SVG backend, no pyplot state) for bars, and a small
SVG writer of our own for the route flow (a Sankey diagram; matplotlib's Sankey draws a different kind).

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
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from html import escape

#: Okabe & Ito (2008), in the order of --c1..--c7 in maatwerk.css, then black.
OKABE_ITO = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
#: hatches that tell series apart without colour (in print, for colour-blind readers)
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
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


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in threads

    return Figure(figsize=(width, height), dpi=72)


def _setup() -> None:
    import matplotlib

    matplotlib.rcParams.update({
        "svg.fonttype": "none",          # text stays text: small files, selectable, sharp
        "svg.hashsalt": "maatwerk",      # the same data gives the same SVG (cacheable, testable)
        "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyph widths everywhere
        "font.size": 11,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
    })


def _svg_of(fig) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "Maatwerk"})
    text = out.getvalue()
    # the metadata block and the XML prologue are not needed inside an <img>
    start = text.find("<svg")
    return text[start:] if start > 0 else text


def _label(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@lru_cache(maxsize=256)
def _bars(spec: str) -> str:
    _setup()
    data = json.loads(spec)
    categories, series, values = data["categories"], data["series"], data["values"]
    horizontal, stacked = data["horizontal"], data["stacked"]
    n = max(len(categories), 1)
    fig = _figure(8.5, max(1.8, 0.45 * n + 1.2)) if horizontal else _figure(8.5, 3.8)
    ax = fig.add_subplot(1, 1, 1)
    positions = list(range(len(categories)))
    width = 0.7 if stacked or len(series) == 1 else 0.8 / len(series)
    bottoms = [0.0] * len(categories)
    for k, name in enumerate(series):
        column = [row[k] for row in values]
        colour = OKABE_ITO[k % len(OKABE_ITO)]
        hatch = HATCHES[k % len(HATCHES)] if len(series) > 1 else ""
        if stacked:
            where = positions
        else:
            where = [p - 0.4 + width * (k + 0.5) for p in positions] if len(series) > 1 else positions
        kwargs = {"color": colour, "edgecolor": "white" if not hatch else INK, "linewidth": 0.4, "hatch": hatch,
                  "label": name}
        if horizontal:
            ax.barh(where, column, height=width, left=bottoms if stacked else None, **kwargs)
        else:
            ax.bar(where, column, width=width, bottom=bottoms if stacked else None, **kwargs)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, column, strict=True)]
    labels = [_label(c) for c in categories]
    if horizontal:
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.xaxis.grid(True, color=GRID, linewidth=0.6)
        if data.get("unit"):
            ax.set_xlabel(data["unit"])
    else:
        ax.set_xticks(positions, labels, rotation=30 if max((len(c) for c in labels), default=0) > 8 else 0,
                      ha="right" if max((len(c) for c in labels), default=0) > 8 else "center")
        ax.yaxis.grid(True, color=GRID, linewidth=0.6)
        if data.get("unit"):
            ax.set_ylabel(data["unit"])
    from matplotlib.ticker import MaxNLocator

    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=data.get("integer", True)))
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=10)
    if not any(v for row in values for v in row):
        ax.text(0.5, 0.5, "geen gegevens", transform=ax.transAxes, ha="center", va="center", color=MUTED)
    return _svg_of(fig)


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
                columns: list[int] | None = None) -> Chart:
    """Bars from a CountTable: one category per row, one series per column (only shown cells)."""
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
    width, height = 900, 470
    top, bottom, node_w = 46, 24, 16
    xs = [150, 450, 750]
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
           f'height="{height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for k, title in enumerate(titles):
        anchor = "start" if k == 0 else ("end" if k == 2 else "middle")
        x = xs[k] - 140 if k == 0 else (xs[k] + 140 if k == 2 else xs[k] + node_w / 2)
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
            label = f"{_label(name, 30)} ({value})"
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
