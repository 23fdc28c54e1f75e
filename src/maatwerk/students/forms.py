"""Forms of the students pages. They only parse input; every rule lives in services.py (and the
programme rules in the engine)."""

from __future__ import annotations

from django import forms

from maatwerk.domain import CAREER_COMPETENCY_QUESTIONS, CareerCompetency, Leerweg

from .models import ActivityKind, ProgrammeStatus

COMPETENCY_CHOICES = [(c.value, c.label) for c in CareerCompetency]


class StudentFilterForm(forms.Form):
    class_name = forms.ChoiceField(label="Klas", required=False)
    leerweg = forms.ChoiceField(label="Leerweg", required=False,
                                choices=[("", "alle leerwegen"), *[(lw.value, lw.value) for lw in Leerweg]])
    year_level = forms.TypedChoiceField(label="Leerjaar", required=False, coerce=int, empty_value=None,
                                        choices=[("", "alle leerjaren"), *[(i, str(i)) for i in range(1, 5)]])
    status = forms.ChoiceField(label="Programma", required=False, choices=[
        ("", "alle"), (ProgrammeStatus.PROPOSED.value, "wacht op goedkeuring"),
        (ProgrammeStatus.CONCEPT.value, "concept"), (ProgrammeStatus.APPROVED.value, "goedgekeurd"),
        ("none", "nog geen programma")])
    q = forms.CharField(label="Zoek", required=False, max_length=100)
    left = forms.ChoiceField(label="Inschrijving", required=False, choices=[
        ("", "huidige leerlingen"), ("1", "uitgeschreven (oud-leerlingen)")])

    def __init__(self, *args, class_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_name"].choices = [("", "alle klassen"), *[(c, c) for c in class_names]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Waarom verandert het programma?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Schrijf op waarom het programma verandert."})


class DecisionForm(forms.Form):
    conversation = forms.TypedChoiceField(label="Besproken in het loopbaangesprek van", coerce=int,
                                          required=False, empty_value=None)
    comment = forms.CharField(label="Opmerking", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conversation"].choices = [("", "— kies een gesprek —"), *[
            (c.pk, f"{c.date:%d-%m-%Y} ({c.participants})") for c in conversations]]


class ActivityForm(forms.Form):
    date = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": "Vul de datum in.", "invalid": "Dit is geen geldige datum."})
    kind = forms.ChoiceField(label="Soort activiteit", choices=ActivityKind.choices)
    title = forms.CharField(label="Titel", max_length=200, error_messages={"required": "Geef de activiteit een titel."})
    goals = forms.CharField(label="I. Wat wilde je ontdekken of leren? (beoogde doelen)", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label="II. Wat heb je gedaan en wat kwam eruit? (resultaten)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    evaluation = forms.CharField(label="III. Hoe ging het en wat concludeer je? (evaluatie en conclusie)",
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="IV. Wat ga je hierna doen? (vervolgactiviteiten)", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    competencies = forms.MultipleChoiceField(label="Aan welke loopbaancompetenties werkte je?", required=False,
                                             choices=COMPETENCY_CHOICES, widget=forms.CheckboxSelectMultiple)
    module = forms.TypedChoiceField(label="Hoort bij de module", required=False, coerce=int, empty_value=None)
    partner = forms.TypedChoiceField(label="Bij (bedrijf of instelling)", required=False, coerce=int,
                                     empty_value=None)
    file = forms.FileField(label="Bijlage (optioneel)", required=False,
                           help_text="Pdf, foto (jpg, png), Word, OpenDocument of tekst; ten hoogste 5 MB.")

    def __init__(self, *args, modules=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "— geen —"), *[(m.pk, str(m)) for m in modules]]
        self.fields["partner"].choices = [("", "— geen —"), *[(p.pk, p.name) for p in partners]]
        self.modules = {m.pk: m for m in modules}
        self.partners = {p.pk: p for p in partners}

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("date", "kind", "title", "goals", "results", "evaluation",
                                                  "follow_up")}
        data["module"] = self.modules.get(self.cleaned_data["module"])
        data["partner"] = self.partners.get(self.cleaned_data["partner"])
        chosen = set(self.cleaned_data["competencies"])
        data.update({c.value: c.value in chosen for c in CareerCompetency})
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(label="Opmerking van de mentor", required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Bijlage", error_messages={"required": "Kies een bestand."},
                           help_text="Pdf, foto (jpg, png), Word, OpenDocument of tekst; ten hoogste 5 MB.")


class ConversationForm(forms.Form):
    date = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": "Vul de datum in.", "invalid": "Dit is geen geldige datum."})
    participants = forms.CharField(label="Deelnemers", max_length=300, initial="leerling, mentor",
                                   help_text="Bijvoorbeeld: leerling, mentor, ouder, decaan.",
                                   error_messages={"required": "Wie waren erbij?"})
    agreements = forms.CharField(label="Afspraken", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label="Volgende stappen", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    programme_decisions = forms.CharField(label="Besluiten over het programma", required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in CareerCompetency:
            self.fields[f"reflection_{c.value}"] = forms.CharField(
                label=c.label, required=False, help_text=CAREER_COMPETENCY_QUESTIONS[c.value],
                widget=forms.Textarea(attrs={"rows": 2}))

    def reflection_fields(self):
        return [self[f"reflection_{c.value}"] for c in CareerCompetency]

    def service_data(self) -> tuple[dict, dict]:
        data = {k: self.cleaned_data[k] for k in ("date", "participants", "agreements", "next_steps",
                                                  "programme_decisions")}
        reflections = {c.value: self.cleaned_data[f"reflection_{c.value}"] for c in CareerCompetency}
        return data, reflections


class ReflectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in CareerCompetency:
            self.fields[c.value] = forms.CharField(label=c.label, required=False,
                                                   help_text=CAREER_COMPETENCY_QUESTIONS[c.value],
                                                   widget=forms.Textarea(attrs={"rows": 2}))
