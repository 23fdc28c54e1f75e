"""The route as a picture: a server-rendered SVG of a student's programme over the leerjaren.

Lanes: the kern (every year), oriënterende, kennismakende and verdiepende modules; columns: the
leerjaren, with the current one marked; on the right the mbo qualifications the modules (and the
package) lead to, with a line from each module that leads there.

Accessible: role="img" with a <title> and a <desc> that says the whole route in words; every box
has a text label; the status is told by text and shape (✓ afgerond on a filled box, a dashed
outline for gepland), never by colour alone. Colours are Okabe-Ito: the SVG carries them as
presentation attributes (so WeasyPrint draws them in the PDF) and a CSS class per kind, which
the page's stylesheet maps onto the CSS variables --c1..--c7 of maatwerk.css.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maatwerk.domain import school_year_label

from . import selectors

#: Okabe-Ito, the same values as --c1..--c7 in web/static/web/maatwerk.css (a test keeps them equal).
OKABE_ITO = {"c1": "#0072b2", "c2": "#e69f00", "c3": "#009e73", "c4": "#cc79a7", "c5": "#56b4e9",
             "c6": "#d55e00", "c7": "#f0e442"}

#: kind -> (lane label, CSS variable name)
KINDS = {
    "KERN": ("Kern", "c1"),
    "ORIENTING": ("Oriënterend", "c4"),
    "INTRODUCTORY": ("Kennismakend", "c2"),
    "DEEPENING": ("Verdiepend", "c3"),
    "MBO": ("Richting mbo", "c5"),
}
STATUS = {
    "completed": ("✓", "afgerond"),
    "enrolled": ("▶", "bezig"),
    "planned": ("○", "gepland"),
    "not_completed": ("✗", "niet afgerond"),
}
INK, MUTED, LINE = "#1c2430", "#4d5a6a", "#8a96a6"


@dataclass(frozen=True)
class Qualification:
    crebo: str
    name: str
    level: int | None
    via: str = ""  # "" when a module or the package names it; else e.g. "profiel ZW"

    @property
    def label(self) -> str:
        level = f" · niveau {self.level}" if self.level else ""
        return f"crebo {self.crebo}{level}"

    @property
    def short_name(self) -> str:
        """Without the explanation in brackets: 'Helpende Zorg en Welzijn'."""
        return self.name.split(" (")[0]


@dataclass
class RouteModule:
    code: str
    title: str
    kind: str
    status: str
    year_level: int
    school_year: int
    units: int = 1
    qualifications: list[Qualification] = field(default_factory=list)

    @property
    def status_symbol(self) -> str:
        return STATUS.get(self.status, ("", self.status))[0]

    @property
    def status_label(self) -> str:
        return STATUS.get(self.status, ("", self.status))[1]


@dataclass
class Route:
    student_name: str
    leerweg: str
    current_year_level: int | None  # None once the student has left: no leerjaar is "nu"
    years: list[tuple[int, int]]  # (leerjaar, school year)
    modules: list[RouteModule]
    qualifications: list[Qualification]
    package_name: str = ""
    left_on: dt.date | None = None
    last_year_level: int | None = None

    def in_lane(self, kind: str, year_level: int) -> list[RouteModule]:
        return [m for m in self.modules if m.kind == kind and m.year_level == year_level]

    @property
    def is_empty(self) -> bool:
        return not self.modules


def build_route(student, programme=None, by_profiel=None) -> Route:
    """The route of `student` from their programme (items prefetched with module, mbo qualifications;
    see selectors.item_queryset) and the package it started from. When neither a module nor the package
    names an mbo qualification, the qualifications of the profielen of the verdiepende modules show the
    direction (`by_profiel`: profiel code -> qualifications, see selectors.qualifications_by_profiel)."""
    modules: list[RouteModule] = []
    quals: dict[str, Qualification] = {}
    items = list(programme.items.all()) if programme is not None else []
    for item in items:
        version = item.module_version
        item_quals = [Qualification(q.crebo, q.name, q.level) for q in version.mbo_qualifications.all()]
        for q in item_quals:
            quals.setdefault(q.crebo, q)
        modules.append(RouteModule(
            code=version.module.code, title=version.title, kind=version.module_type, status=item.status,
            year_level=item.year_level, school_year=item.school_year, units=version.units,
            qualifications=item_quals))
    package_name = ""
    if programme is not None and programme.package_id:
        package_name = programme.package.name
        for q in programme.package.mbo_qualifications.all():
            quals.setdefault(q.crebo, Qualification(q.crebo, q.name, q.level))
    if not quals and by_profiel:
        # the direction is where the student is heading: the verdiepende modules still to come (or, when all
        # are done, the completed ones)
        deep = [(i, m) for i, m in zip(items, modules, strict=True) if m.kind == "DEEPENING"]
        ahead = [(i, m) for i, m in deep if m.status in ("planned", "enrolled")]
        for item, module in ahead or [(i, m) for i, m in deep if m.status == "completed"]:
            for profiel in item.module_version.profielen.all():
                for q in by_profiel.get(profiel.code, ()):
                    derived = quals.setdefault(q.crebo, Qualification(q.crebo, q.name, q.level, f"profiel {profiel.code}"))
                    module.qualifications.append(derived)
    last = max([selectors.FINAL_YEAR_LEVEL, student.year_level, *(m.year_level for m in modules)])
    years = [(level, selectors.school_year_for_level(student, level)) for level in range(1, last + 1)]
    left = student.left_on if student.left_on is not None and student.left_on <= timezone.localdate() else None
    return Route(student_name=student.full_name, leerweg=student.leerweg,
                 current_year_level=None if left else student.year_level, left_on=left,
                 last_year_level=student.year_level, years=years, modules=modules,
                 qualifications=sorted(quals.values(), key=lambda q: (-(q.level or 0), q.name)),
                 package_name=package_name)


def describe(route: Route) -> str:
    """The whole route in words (the SVG's <desc>, and a text alternative beside it)."""
    if route.left_on is not None:
        parts = [f"Leerweg {route.leerweg}, van school sinds {route.left_on:%d-%m-%Y} (laatste leerjaar "
                 f"{route.last_year_level}). De kern volgde {route.student_name} in elk leerjaar."]
    else:
        parts = [f"Leerweg {route.leerweg}, nu in leerjaar {route.current_year_level}. "
                 f"De kern volgt {route.student_name} in elk leerjaar."]
    for level, _ in route.years:
        here = [m for m in route.modules if m.year_level == level]
        if here:
            names = "; ".join(f"{KINDS[m.kind][0].lower()} {m.code} {m.title} ({m.status_label})" for m in here)
            parts.append(f"Leerjaar {level}: {names}.")
    if route.qualifications:
        derived = sorted({q.via for q in route.qualifications if q.via})
        lead = f"Richting mbo, bij het {', '.join(derived)}" if derived else "Leidt naar"
        parts.append(f"{lead}: " + "; ".join(f"{q.name} ({q.label})" for q in route.qualifications) + ".")
    if route.is_empty:
        parts.append("Er staan nog geen modulen in het programma.")
    return " ".join(parts)


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text: str, n: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + (1 if line else 0) <= n:
            line = f"{line} {word}".strip()
        else:
            out.append(line)
            line = word
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], _truncate(" ".join(out[lines - 1:]), n)]
    return [x for x in out if x]


# --- the full route ------------------------------------------------------------------------------

LEFT, COL_W, TOP, BOX_H, GAP, KERN_H, MBO_GAP, MBO_W = 118, 176, 52, 56, 8, 34, 56, 224
LANES = ("ORIENTING", "INTRODUCTORY", "DEEPENING")
FONT = "DejaVu Sans, Segoe UI, Roboto, Arial, sans-serif"


def _colour(kind: str) -> str:
    return OKABE_ITO[KINDS[kind][1]]


def render_svg(route: Route, *, uid: str = "route") -> SafeString:
    """The route as an accessible SVG (a string to put in a page or in the PDF's HTML)."""
    n = len(route.years)
    width = LEFT + n * COL_W + MBO_GAP + MBO_W + 8
    # lane heights: the fullest leerjaar decides
    lane_h = {}
    for kind in LANES:
        most = max((len(route.in_lane(kind, level)) for level, _ in route.years), default=0)
        lane_h[kind] = max(1, most) * (BOX_H + GAP) + GAP
    y = TOP
    lane_y = {"KERN": y}
    y += KERN_H + 10
    for kind in LANES:
        lane_y[kind] = y
        y += lane_h[kind] + 6
    legend_y = y + 10
    height = max(legend_y + 30, TOP + len(route.qualifications) * 62 + 40)

    out: list[str] = []
    add = out.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" class="route" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{FONT}" font-size="12">')
    add(f'<title id="{uid}-title">Route van {escape(route.student_name)}</title>')
    add(f'<desc id="{uid}-desc">{escape(describe(route))}</desc>')

    # columns: leerjaren, the current one marked
    for i, (level, school_year) in enumerate(route.years):
        x = LEFT + i * COL_W
        now = level == route.current_year_level
        if now:
            add(f'<rect class="route-now" x="{x + 2}" y="4" width="{COL_W - 4}" height="{legend_y - 14}" rx="8" '
                f'fill="#0b4f8a" fill-opacity="0.06"/>')
        add(f'<text x="{x + COL_W / 2}" y="22" text-anchor="middle" font-weight="700" fill="{INK}">'
            f'Leerjaar {level}{" · nu" if now else ""}</text>')
        add(f'<text x="{x + COL_W / 2}" y="38" text-anchor="middle" fill="{MUTED}" font-size="11">'
            f'{school_year_label(school_year)}</text>')
        if i:
            add(f'<line x1="{x}" y1="46" x2="{x}" y2="{legend_y - 14}" stroke="#d5dbe3" stroke-width="1"/>')

    # lane labels
    for kind in ("KERN", *LANES):
        h = KERN_H if kind == "KERN" else lane_h[kind]
        add(f'<text x="8" y="{lane_y[kind] + min(h, BOX_H) / 2 + 4}" font-weight="700" fill="{INK}">'
            f'{KINDS[kind][0]}</text>')

    # the kern: one band over every leerjaar
    kx, kw = LEFT + 4, n * COL_W - 8
    add(f'<rect class="k-kern" x="{kx}" y="{lane_y["KERN"]}" width="{kw}" height="{KERN_H}" rx="6" '
        f'fill="{_colour("KERN")}" fill-opacity="0.14" stroke="{_colour("KERN")}" stroke-width="1.5"/>')
    add(f'<text x="{kx + 12}" y="{lane_y["KERN"] + 21}" fill="{INK}">Algemene (beroeps)vaardigheden, '
        f'procesmatig werken en LOB: in elk leerjaar</text>')

    # modules
    anchors: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for kind in LANES:
        for i, (level, _) in enumerate(route.years):
            for j, module in enumerate(route.in_lane(kind, level)):
                bx = LEFT + i * COL_W + 6
                by = lane_y[kind] + GAP + j * (BOX_H + GAP)
                out.extend(_box(module, bx, by, COL_W - 12))
                for q in module.qualifications:
                    anchors[q.crebo].append((bx + COL_W - 12, by + BOX_H / 2))
        if not any(route.in_lane(kind, level) for level, _ in route.years):
            add(f'<text x="{LEFT + 10}" y="{lane_y[kind] + 28}" fill="{MUTED}" font-style="italic">'
                f'(nog) geen {KINDS[kind][0].lower()}e modulen</text>')

    # mbo qualifications, with a line from each module that leads there
    mx = LEFT + n * COL_W + MBO_GAP
    add(f'<text x="{mx}" y="22" font-weight="700" fill="{INK}">Richting mbo</text>')
    derived = sorted({q.via for q in route.qualifications if q.via})
    subtitle = (f"bij het {', '.join(derived)}" if derived
                else "kwalificaties waar de route naartoe leidt")
    add(f'<text x="{mx}" y="38" fill="{MUTED}" font-size="11">{escape(subtitle)}</text>')
    if not route.qualifications:
        for li, line in enumerate(("(nog) geen mbo-kwalificatie", "bekend bij deze modulen")):
            add(f'<text x="{mx}" y="{TOP + 20 + li * 15}" fill="{MUTED}" font-style="italic">{line}</text>')
    for k, q in enumerate(route.qualifications):
        qy = TOP + k * 62
        for ax, ay in [] if q.via else anchors.get(q.crebo, []):  # a line only where a module names it
            add(f'<path d="M{ax},{ay} C{ax + 40},{ay} {mx - 40},{qy + 26} {mx},{qy + 26}" fill="none" '
                f'stroke="{LINE}" stroke-width="1.3" stroke-opacity="0.8"/>')
        add(f'<rect class="k-mbo" x="{mx}" y="{qy}" width="{MBO_W}" height="52" rx="6" fill="{_colour("MBO")}" '
            f'fill-opacity="0.14" stroke="{_colour("MBO")}" stroke-width="1.5"/>')
        lines = _wrap(q.short_name, 32, 2)
        for li, line in enumerate(lines):
            add(f'<text x="{mx + 10}" y="{qy + 18 + li * 14}" font-weight="600" fill="{INK}">{escape(line)}</text>')
        add(f'<text x="{mx + 10}" y="{qy + 46}" fill="{MUTED}" font-size="11">{escape(q.label)}</text>')

    out.extend(_legend(legend_y))
    add("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def _box(module: RouteModule, x: float, y: float, w: float) -> list[str]:
    colour = _colour(module.kind)
    css = {"ORIENTING": "k-orient", "INTRODUCTORY": "k-intro", "DEEPENING": "k-deep"}[module.kind]
    done = module.status == "completed"
    dash = "" if module.status in ("completed", "enrolled") else ' stroke-dasharray="5 3"'
    fill_opacity = "0.22" if done else ("0.10" if module.status == "enrolled" else "0")
    title = escape(f"{module.code} {module.title} — {KINDS[module.kind][0].lower()}, {module.status_label}")
    return [
        f'<g class="route-module s-{module.status}"><title>{title}</title>',
        f'<rect class="{css}" x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="6" fill="{colour}" '
        f'fill-opacity="{fill_opacity}" stroke="{colour}" stroke-width="2"{dash}/>',
        f'<rect class="{css} bar" x="{x}" y="{y}" width="6" height="{BOX_H}" rx="3" fill="{colour}"/>',
        f'<text x="{x + 13}" y="{y + 16}" font-weight="700" fill="{INK}">{escape(module.code)}</text>',
        f'<text x="{x + 13}" y="{y + 31}" fill="{INK}" font-size="11">{escape(_truncate(module.title, 25))}</text>',
        f'<text x="{x + 13}" y="{y + 47}" fill="{MUTED}" font-size="11">{module.status_symbol} '
        f'{module.status_label}</text>',
        "</g>",
    ]


def _legend(y: float) -> list[str]:
    out = [f'<g class="route-legend" transform="translate({LEFT},{y})">']
    x = 0
    for kind in ("ORIENTING", "INTRODUCTORY", "DEEPENING"):
        colour = _colour(kind)
        css = {"ORIENTING": "k-orient", "INTRODUCTORY": "k-intro", "DEEPENING": "k-deep"}[kind]
        out.append(f'<rect class="{css}" x="{x}" y="0" width="14" height="14" rx="3" fill="{colour}"/>')
        out.append(f'<text x="{x + 20}" y="11" fill="{INK}" font-size="11">{KINDS[kind][0]}</text>')
        x += 122
    out.append(f'<rect x="{x}" y="0" width="26" height="14" rx="3" fill="{LINE}" fill-opacity="0.35" '
               f'stroke="{MUTED}" stroke-width="1.5"/>')
    out.append(f'<text x="{x + 32}" y="11" fill="{INK}" font-size="11">✓ afgerond (gevuld)</text>')
    x += 150
    out.append(f'<rect x="{x}" y="0" width="26" height="14" rx="3" fill="none" stroke="{MUTED}" '
               f'stroke-width="1.5" stroke-dasharray="4 2"/>')
    out.append(f'<text x="{x + 32}" y="11" fill="{INK}" font-size="11">○ gepland (gestippeld)</text>')
    out.append("</g>")
    return out


# --- a compact strip for the class view ----------------------------------------------------------

STRIP_COL, STRIP_CHIP_H = 118, 20


def render_strip(route: Route, *, uid: str = "strip") -> SafeString:
    """A small route (one row per student in a class): per leerjaar a chip per module."""
    n = len(route.years)
    most = max((sum(1 for m in route.modules if m.year_level == level) for level, _ in route.years), default=0)
    height = 18 + max(1, most) * (STRIP_CHIP_H + 4) + 4
    width = n * STRIP_COL
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="route strip" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
           f'font-family="{FONT}" font-size="11">',
           f'<title id="{uid}-title">Route van {escape(route.student_name)}</title>',
           f'<desc id="{uid}-desc">{escape(describe(route))}</desc>']
    for i, (level, _) in enumerate(route.years):
        x = i * STRIP_COL
        now = level == route.current_year_level
        if now:
            out.append(f'<rect class="route-now" x="{x + 1}" y="0" width="{STRIP_COL - 2}" height="{height}" rx="4" '
                       f'fill="#0b4f8a" fill-opacity="0.06"/>')
        out.append(f'<text x="{x + 4}" y="12" fill="{MUTED}">lj {level}{" · nu" if now else ""}</text>')
        order = {"ORIENTING": 0, "INTRODUCTORY": 1, "DEEPENING": 2}
        here = sorted((m for m in route.modules if m.year_level == level), key=lambda m: (order[m.kind], m.code))
        for j, module in enumerate(here):
            colour = _colour(module.kind)
            css = {"ORIENTING": "k-orient", "INTRODUCTORY": "k-intro", "DEEPENING": "k-deep"}[module.kind]
            cy = 18 + j * (STRIP_CHIP_H + 4)
            dash = "" if module.status in ("completed", "enrolled") else ' stroke-dasharray="4 2"'
            opacity = "0.25" if module.status == "completed" else "0"
            out.append(f'<g><title>{escape(module.code)} {escape(module.title)} — '
                       f'{KINDS[module.kind][0].lower()}, {module.status_label}</title>'
                       f'<rect class="{css}" x="{x + 3}" y="{cy}" width="{STRIP_COL - 8}" height="{STRIP_CHIP_H}" '
                       f'rx="4" fill="{colour}" fill-opacity="{opacity}" stroke="{colour}" stroke-width="1.6"{dash}/>'
                       f'<text x="{x + 9}" y="{cy + 14}" fill="{INK}">{module.status_symbol} '
                       f'{escape(_truncate(module.code, 13))}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
