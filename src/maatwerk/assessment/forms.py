"""Forms of the assessment pages. They only parse input; every rule lives in services.py."""

from __future__ import annotations

from django import forms

from maatwerk.domain import AssessmentForm, Leerweg, school_year_of

from .models import AssessedBy, GradeRule, KernLevel, ResultKind

LEERWEG_CHOICES = [(lw.value, f"{lw.value} ({lw.label})") for lw in Leerweg]
REASON_HELP = ("Het PTA is vastgesteld: een wijziging mag na 1 oktober alleen bij onvoorziene omstandigheden of "
               "een kennelijke fout (WVO 2.60a). De reden komt in de geschiedenis.")


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PtaForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200,
                            error_messages={"required": "Geef het PTA een titel."})
    cohort = forms.TypedChoiceField(label="Cohort (schooljaar waarin leerjaar 3 begint)", coerce=int)
    exam_year = forms.TypedChoiceField(label="Examenjaar (schooljaar van het eindexamen)", coerce=int)
    leerwegen = forms.MultipleChoiceField(label="Leerwegen", choices=LEERWEG_CHOICES,
                                          widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": "Kies ten minste één leerweg."})
    resit_rules = forms.CharField(label="Herkansingsregeling", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Hoe en wanneer herkansingen plaatsvinden (UB 3.16: de school legt het "
                                            "aantal vast in het PTA).")
    reason = forms.CharField(label="Reden van de wijziging", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)

    def __init__(self, *args, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        year = school_year_of()
        years = [(y, f"{y}-{y + 1}") for y in range(year - 3, year + 3)]
        self.fields["cohort"].choices = years
        self.fields["exam_year"].choices = years
        self.locked = locked
        if locked:
            for name in ("cohort", "leerwegen"):
                self.fields[name].disabled = True
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Geef de reden van de wijziging."
        else:
            del self.fields["reason"]


class AdoptForm(forms.Form):
    reason = forms.CharField(label="Reden (verplicht na 1 oktober)", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Na 1 oktober alleen bij onvoorziene omstandigheden of een kennelijke fout "
                                       "(WVO 2.60a).")


class ItemForm(forms.Form):
    code = forms.CharField(label="Code", max_length=20, help_text="Bijvoorbeeld ZW-K-03.1; uniek in dit PTA.",
                           error_messages={"required": "Geef het onderdeel een code."})
    title = forms.CharField(label="Omschrijving", max_length=200,
                            error_messages={"required": "Geef een omschrijving."})
    module_versions = forms.TypedMultipleChoiceField(
        label="Sluit af (module of combinatie van modulen)", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies de module(n) die dit onderdeel afsluit."})
    form = forms.ChoiceField(label="Vorm", choices=AssessmentForm.choices)
    result_kind = forms.ChoiceField(label="Resultaat", choices=ResultKind.choices)
    weight = forms.DecimalField(label="Weging", min_value=0, max_digits=5, decimal_places=2, localize=True,
                                error_messages={"invalid": "De weging is een getal, bijvoorbeeld 2 of 1,5."})
    period = forms.TypedChoiceField(label="Periode", coerce=int, required=False, empty_value=None,
                                    choices=[("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")])
    deadline = forms.DateField(label="Uiterlijk", required=False, widget=_date_widget())
    resit_allowed = forms.BooleanField(label="Herkansbaar", required=False)
    max_attempts = forms.TypedChoiceField(label="Pogingen (met herkansingen)", coerce=int,
                                          choices=[(n, str(n)) for n in range(1, 6)])
    assessed_by = forms.ChoiceField(label="Beoordeeld door", choices=AssessedBy.choices)
    partner = forms.TypedChoiceField(label="Partner", coerce=int, required=False, empty_value=None)
    kern_objectives = forms.TypedMultipleChoiceField(label="Kerndoelen die worden geobserveerd", coerce=int,
                                                     required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="Inhoud (wat wordt getoetst)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="Reden van de wijziging", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)

    def __init__(self, *args, versions=(), partners=(), objectives=(), locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module_versions"].choices = [(v.pk, f"{v.module.code} v{v.version} {v.title}") for v in versions]
        self.fields["partner"].choices = [("", "— geen —"), *[(p.pk, p.name) for p in partners]]
        self.fields["kern_objectives"].choices = [(o.pk, f"{o.code} {o.text[:90]}") for o in objectives]
        self.versions = {v.pk: v for v in versions}
        self.partners = {p.pk: p for p in partners}
        self.objectives = {o.pk: o for o in objectives}
        if locked:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Geef de reden van de wijziging."
        else:
            del self.fields["reason"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        out = {k: data[k] for k in ("code", "title", "form", "result_kind", "weight", "period", "deadline",
                                    "resit_allowed", "max_attempts", "assessed_by", "description")}
        out["partner"] = self.partners.get(data.get("partner"))
        out["module_versions"] = [self.versions[pk] for pk in data["module_versions"]]
        out["kern_objectives"] = [self.objectives[pk] for pk in data.get("kern_objectives") or []]
        return out


RUBRIC_LEVELS = [("onvoldoende", 0), ("voldoende", 1), ("goed", 2), ("uitstekend", 3)]


class RubricForm(forms.Form):
    """An analytic rubric: levels (label and points) shared by all criteria; per criterion its text,
    its module objective and kern objective and a descriptor per level. Empty criterion rows are ignored."""

    grade_rule = forms.ChoiceField(label="Van punten naar cijfer", choices=GradeRule.choices)
    cesuur = forms.DecimalField(label="Cesuur (deel van het maximum)", min_value=0, max_value=1, decimal_places=3,
                                localize=True, required=False,
                                help_text="Alleen bij de cesuurregel: bij deze score een 5,5, bijvoorbeeld 0,55.")
    description = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Reden van de wijziging", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)

    def __init__(self, *args, rows: int = 4, levels: int = 4, objectives=(), kern=(), locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.levels = rows, levels
        for j in range(levels):
            label, points = RUBRIC_LEVELS[j] if j < len(RUBRIC_LEVELS) else ("", j)
            self.fields[f"level_{j}_label"] = forms.CharField(label=f"Niveau {j + 1}", required=False, initial=label,
                                                              max_length=50)
            self.fields[f"level_{j}_points"] = forms.IntegerField(label=f"Punten niveau {j + 1}", required=False,
                                                                  min_value=0, initial=points)
        objective_choices = [("", "— geen —"), *[(o.pk, f"{o.code} {o.text[:70]}") for o in objectives]]
        kern_choices = [("", "— geen —"), *[(o.pk, f"{o.code} {o.text[:70]}") for o in kern]]
        for i in range(rows):
            self.fields[f"c{i}_text"] = forms.CharField(label=f"Criterium {i + 1}", required=False, max_length=300)
            self.fields[f"c{i}_objective"] = forms.TypedChoiceField(label="Eindterm", required=False, coerce=int,
                                                                    empty_value=None, choices=objective_choices)
            self.fields[f"c{i}_kern"] = forms.TypedChoiceField(label="Kerndoel", required=False, coerce=int,
                                                               empty_value=None, choices=kern_choices)
            for j in range(levels):
                self.fields[f"c{i}_d{j}"] = forms.CharField(label=f"Beschrijving niveau {j + 1}", required=False,
                                                            widget=forms.Textarea(attrs={"rows": 2}))
        if locked:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Geef de reden van de wijziging."
        else:
            del self.fields["reason"]

    def criterion_rows(self):
        for i in range(self.rows):
            yield {"text": self[f"c{i}_text"], "objective": self[f"c{i}_objective"], "kern": self[f"c{i}_kern"],
                   "descriptors": [self[f"c{i}_d{j}"] for j in range(self.levels)]}

    def level_fields(self):
        return [(self[f"level_{j}_label"], self[f"level_{j}_points"]) for j in range(self.levels)]

    def criteria(self) -> list[dict]:
        data = self.cleaned_data
        levels = [(data.get(f"level_{j}_label") or "").strip() for j in range(self.levels)]
        points = [data.get(f"level_{j}_points") for j in range(self.levels)]
        out = []
        for i in range(self.rows):
            text = (data.get(f"c{i}_text") or "").strip()
            if not text:
                continue
            out.append({
                "text": text, "module_objective": data.get(f"c{i}_objective"), "kern_objective": data.get(f"c{i}_kern"),
                "levels": [{"label": levels[j], "points": points[j], "descriptor": data.get(f"c{i}_d{j}") or ""}
                           for j in range(self.levels) if levels[j]],
            })
        return out


class ImportForm(forms.Form):
    file = forms.FileField(label="Bestand (CSV of Excel .xlsx)",
                           help_text="Kolommen: leerlingnummer, toetscode (code van het PTA-onderdeel), cijfer; "
                                     "optioneel poging en datum. Zie de handleiding voor Magister en SOMtoday.",
                           error_messages={"required": "Kies een bestand."})
    dry_run = forms.BooleanField(label="Alleen controleren (proefimport: er verandert niets)", required=False,
                                 initial=True)


class KernObservationForm(forms.Form):
    objective = forms.TypedChoiceField(label="Kerndoel", coerce=int)
    level = forms.ChoiceField(label="Niveau", choices=KernLevel.choices)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [(o.pk, f"{o.code} {o.text[:80]}") for o in objectives]


class AssessForm(forms.Form):
    """An external assessor (or teacher) scores one student on one item: the rubric (a level per
    criterion; the grade follows by the rubric's rule) or, without a rubric, the grade itself; a comment;
    a level per kern objective observed in the item."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    attempt = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label="Toelichting voor leerling en school", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, item, kern_objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        rubric = getattr(item, "rubric", None) if hasattr(item, "rubric") else None
        self.criteria = list(rubric.criteria.all()) if rubric is not None else []
        for criterion in self.criteria:
            self.fields[f"crit_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text, widget=forms.RadioSelect,
                choices=[(lv.pk, f"{lv.label} ({lv.points} p.)") for lv in criterion.levels.all()],
                error_messages={"required": f"Kies een niveau bij: {criterion.text}."})
        if not self.criteria:
            label = "Beoordeling (onvoldoende, voldoende, goed)" if item.result_kind == "qualification" else \
                "Cijfer (1,0 tot en met 10,0)"
            self.fields["value"] = forms.CharField(label=label, max_length=20,
                                                   widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                                                 "autocomplete": "off"}))
        self.kern_objectives = list(kern_objectives)
        for objective in self.kern_objectives:
            self.fields[f"kern_{objective.pk}"] = forms.ChoiceField(
                label=f"{objective.code} {objective.text}", required=False,
                choices=[("", "— niet geobserveerd —"), *KernLevel.choices])

    def criterion_fields(self):
        return [(c, self[f"crit_{c.pk}"]) for c in self.criteria]

    def kern_fields(self):
        return [(o, self[f"kern_{o.pk}"]) for o in self.kern_objectives]

    def chosen_levels(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data[f"crit_{c.pk}"] for c in self.criteria}
