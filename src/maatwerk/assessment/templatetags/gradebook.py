"""The gradebook's cells, rendered in Python: a gradebook of 30 students x 25 items has 750 cells, and an
`{% include %}` per cell was about 60% of the page's time (bench/README.md). The markup is what
templates/assessment/gradebook.html documents: one `<td>` per cell, an input that saves itself with htmx
(hx-post on change) and, without JavaScript, belongs to its column's form; everything from the database or
the user is escaped as the template language would."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def gradebook_cell(cell, can_enter: bool, post_url: str, oob: bool = False):
    """One cell (selectors.Cell): n.v.t. with the reason, the value to read, or the input to type in."""
    column = cell.column
    name = esc(cell.name)
    classes = "gb-cell" + (" resit" if column.attempt > 1 else "") + (
        " has-error" if cell.error else " has-conflict" if cell.conflict else "")
    out = [f'<td id="cell-{name}" class="{classes}"', ' hx-swap-oob="true">' if oob else ">", "\n"]
    if not cell.applies:
        why = esc(cell.why_not)
        out.append(f'<span class="gb-na" title="{why}">n.v.t.<span class="visually-hidden">: {why}</span></span>\n')
    elif not can_enter:
        out.append(f'<span class="gb-readonly">{esc(cell.value or "—")}</span>\n')
    else:
        value, form = esc(cell.value), f"col-{esc(column.key)}"
        out.append(
            f'<input type="text" class="gb-input{" low" if cell.low else ""}" id="in-{name}" name="{name}" '
            f'value="{value}" form="{form}" inputmode="decimal" autocomplete="off" spellcheck="false" maxlength="12"\n'
            f'  aria-label="{esc(column.label)}, {esc(cell.student.full_name)}"')
        if cell.error or cell.conflict:
            out.append(f' aria-invalid="true" aria-describedby="msg-{name}"')
        if not cell.enabled:
            out.append(' disabled title="Een herkansing kan pas als de eerste poging een resultaat heeft"')
        out.append(
            f'\n  hx-post="{esc(post_url)}" hx-trigger="change" hx-target="#cell-{name}" hx-swap="outerHTML" '
            f'hx-params="{name},o-{name},v-{name}" hx-sync="closest table:queue all">'
            f'<input type="hidden" name="o-{name}" value="{value}" form="{form}">'
            f'<input type="hidden" name="v-{name}" value="{esc(cell.version)}" form="{form}">'
            f'<span class="gb-state" aria-hidden="true">{"✓" if cell.saved else ""}</span>')
        if cell.saved:
            out.append(f'<span class="visually-hidden" role="status">Opgeslagen: {value}</span>')
        out.append("\n")
        if cell.error:
            out.append(f'<p class="gb-msg err" id="msg-{name}" role="alert">{esc(cell.error)}</p>\n')
        elif cell.conflict:
            out.append(f'<p class="gb-msg warn" id="msg-{name}" role="alert">{esc(cell.conflict)}</p>\n')
    out.append("</td>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def module_cell(student, module_result, oob: bool = False):
    """The student's module outcome at the end of the row."""
    if module_result is None:
        badge = '<span class="gb-na">—</span>'
    elif module_result.outcome == "PASSED":
        badge = f'<span class="badge ok">behaald {esc(floatformat(module_result.grade, 1))}</span>'
    elif module_result.outcome == "FAILED":
        badge = f'<span class="badge err">niet behaald {esc(floatformat(module_result.grade, 1))}</span>'
    else:
        badge = '<span class="badge plain">nog niet compleet</span>'
    swap = ' hx-swap-oob="true"' if oob else ""
    return mark_safe(f'<td id="mod-{esc(student.pk)}" class="module"{swap}>{badge}</td>')  # noqa: S308 - escaped
