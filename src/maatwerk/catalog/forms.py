"""Forms of the menukaart pages. They only collect and clean input; the rules live in services."""

from __future__ import annotations

from django import forms

from maatwerk.domain import Leerweg, school_year_of
from maatwerk.kern.models import KernObjective

from .models import MboQualification, Module, ModuleType, Profiel, ProposalKind, ReviewDecision

LEERWEG_CHOICES = [(lw.value, f"{lw.value} — {lw.label}") for lw in Leerweg]


class Form(forms.Form):
    """Labels without a trailing colon, like the rest of Maatwerk."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProposalForm(Form):
    organisation = forms.ChoiceField(label="Namens", required=True)
    kind = forms.ChoiceField(label="Soort voorstel", choices=ProposalKind.choices, widget=forms.RadioSelect,
                             initial=ProposalKind.NEW)
    module = forms.ModelChoiceField(
        label="Te wijzigen module", required=False, queryset=Module.objects.filter(current_version__isnull=False),
        help_text="Alleen bij een wijziging.", empty_label="— kies een module —")
    title = forms.CharField(label="Titel van de module", max_length=200,
                            error_messages={"required": "Geef het voorstel een titel."})
    module_type = forms.ChoiceField(label="Soort module", choices=ModuleType.choices, initial=ModuleType.INTRODUCTORY,
                                    help_text="Oriënterend is alleen voor de onderbouw.")
    profielen = forms.ModelMultipleChoiceField(
        label="Profielen", queryset=Profiel.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Kies er meer dan één voor een sectoroverstijgende module.")
    leerwegen = forms.MultipleChoiceField(label="Leerwegen", choices=LEERWEG_CHOICES,
                                          widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": "Kies minstens één leerweg."})
    summary = forms.CharField(label="Samenvatting", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Beschrijf de module in een paar zinnen."})
    objectives = forms.CharField(label="Eindtermen", widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text="Eén eindterm per regel: wat moet een leerling minimaal kennen en kunnen?",
                                 error_messages={"required": "Noem minstens één eindterm."})
    rationale = forms.CharField(label="Waarom deze module?", widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "Leg uit waarom deze module nodig is."})
    evidence = forms.CharField(label="Onderbouwing uit regio en arbeidsmarkt", widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Bijvoorbeeld vacatures, vraag van bedrijven of mbo-opleidingen in de regio.",
                               error_messages={"required": "Onderbouw het voorstel met gegevens uit de regio of de "
                                                           "arbeidsmarkt."})

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {f"m{m.pk}": m for m in memberships}
        self.fields["organisation"].choices = [
            (key, f"{m.school or m.platform}") for key, m in self.memberships.items()]
        if len(self.memberships) == 1:
            self.fields["organisation"].initial = next(iter(self.memberships))
        self.fields["module"].label_from_instance = lambda m: f"{m.code} {m.current_version.title}"
        self.fields["module"].queryset = self.fields["module"].queryset.select_related("current_version")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProposalKind.CHANGE and not data.get("module"):
            self.add_error("module", "Kies de module die u wilt wijzigen.")
        return data


class ConceptForm(Form):
    """Edit a concept version (stewards)."""

    title = forms.CharField(label="Titel", max_length=200)
    summary = forms.CharField(label="Samenvatting", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    module_type = forms.ChoiceField(label="Soort module", choices=ModuleType.choices)
    profielen = forms.ModelMultipleChoiceField(label="Profielen", queryset=Profiel.objects.order_by("name"),
                                               required=False, widget=forms.CheckboxSelectMultiple)
    leerwegen = forms.MultipleChoiceField(label="Leerwegen", choices=LEERWEG_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    units = forms.IntegerField(label="Omvang (eenheden)", min_value=1, max_value=20)
    objectives = forms.CharField(label="Eindtermen", widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                 help_text="Eén eindterm per regel. Een regel die begint met een code "
                                           "(zoals E1) houdt die code.")
    guide_BB = forms.CharField(label="Handreiking BB", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    guide_KB = forms.CharField(label="Handreiking KB", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    guide_GL = forms.CharField(label="Handreiking GL", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    guide_TL = forms.CharField(label="Handreiking TL", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kern_objectives = forms.ModelMultipleChoiceField(
        label="Kerndoelen die de module oefent en toetst", required=False, widget=forms.CheckboxSelectMultiple,
        queryset=KernObjective.objects.filter(area__framework__status="published").select_related("area")
        .order_by("area__order", "order"))
    mbo_qualifications = forms.ModelMultipleChoiceField(
        label="Bereidt voor op (mbo)", queryset=MboQualification.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple)
    change_note = forms.CharField(label="Wat is er veranderd", widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False)

    @classmethod
    def initial_for(cls, version) -> dict:
        guides = {g.leerweg: g.text for g in version.guides.all()}
        return {
            "title": version.title, "summary": version.summary, "module_type": version.module_type,
            "profielen": list(version.profielen.all()), "leerwegen": version.leerwegen, "units": version.units,
            "objectives": "\n".join(f"{o.code} {o.text}" for o in version.objectives.all()),
            **{f"guide_{lw}": guides.get(lw, "") for lw in Leerweg.values},
            "kern_objectives": list(version.kern_objectives.all()),
            "mbo_qualifications": list(version.mbo_qualifications.all()), "change_note": version.change_note,
        }

    def content(self, version) -> dict:
        data = self.cleaned_data
        emphasis = {g.leerweg: g.emphasis for g in version.guides.all()}
        objectives = []
        for i, line in enumerate(data["objectives"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, _, rest = line.partition(" ")
            if rest and len(head) <= 20 and any(ch.isdigit() for ch in head) and head[0].isalpha():
                objectives.append((head, rest.strip()))
            else:
                objectives.append((f"E{i}", line))
        return {
            "title": data["title"], "summary": data["summary"], "module_type": data["module_type"],
            "profielen": list(data["profielen"]), "leerwegen": data["leerwegen"], "units": data["units"],
            "objectives": objectives,
            "guides": {lw: {"text": data[f"guide_{lw}"], "emphasis": emphasis.get(lw, "")} for lw in Leerweg.values},
            "kern_objectives": list(data["kern_objectives"]),
            "mbo_qualifications": list(data["mbo_qualifications"]), "change_note": data["change_note"],
        }


class PublishForm(Form):
    valid_from = forms.TypedChoiceField(label="Geldig vanaf schooljaar", coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = school_year_of()
        self.fields["valid_from"].choices = [(y, f"{y}-{y + 1}") for y in range(now, now + 4)]
        self.fields["valid_from"].initial = now + 1


class ReviewForm(Form):
    decision = forms.ChoiceField(label="Besluit", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label="Motivering", widget=forms.Textarea(attrs={"rows": 4}))
    consulted_vmbo = forms.CharField(label="Geraadpleegd in het vmbo", widget=forms.Textarea(attrs={"rows": 2}))
    consulted_mbo = forms.CharField(label="Geraadpleegd in het mbo", widget=forms.Textarea(attrs={"rows": 2}))
    consulted_employers = forms.CharField(label="Geraadpleegd in het bedrijfsleven",
                                          widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="Besloten op", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RejectForm(Form):
    reason = forms.CharField(label="Reden van afwijzing (de indiener ziet deze tekst)",
                             widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(Form):
    reason = forms.CharField(label="Toelichting voor de indiener (optioneel)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
