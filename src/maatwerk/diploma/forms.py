"""Forms of the diploma pages. They only collect and clean input; the rules live in services."""

from __future__ import annotations

from django import forms

from maatwerk.catalog.models import MboQualification, Module

from .models import RouteKind

MAX_UPLOAD = 256 * 1024


class RunForm(forms.Form):
    school_year = forms.IntegerField(label="Examenjaar", min_value=2000, max_value=2100)
    dry_run = forms.BooleanField(label="Proefberekening: laat zien wat er verandert, sla niets op", required=False)


class SubjectGradesForm(forms.Form):
    file = forms.FileField(label="Bestand (CSV of Excel .xlsx)",
                           help_text="Kolommen: leerlingnummer, vakcode, se, ce, beoordeling; optioneel vak, soort, "
                                     "niveau, extra vak en deel.",
                           error_messages={"required": "Kies een bestand.",
                                           "empty": "Het bestand is leeg.",
                                           "invalid": "Kies een bestand.",
                                           "missing": "Kies een bestand."})
    dry_run = forms.BooleanField(label="Alleen controleren (er verandert niets)", required=False, initial=True)


class CorrectForm(forms.Form):
    reason = forms.CharField(label="Reden van de correctie", min_length=5, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Bijvoorbeeld: het cijfer voor Engels is na een klacht verbeterd. De reden komt "
                                       "in de geschiedenis van de uitslag.",
                             error_messages={"required": "Geef de reden van de correctie.",
                                             "min_length": "Geef de reden van de correctie."})


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reden van de intrekking", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Wie het certificaat controleert, ziet deze reden: noem geen persoonlijke "
                                       "bijzonderheden.",
                             error_messages={"required": "Geef de reden van de intrekking."})


class VerifyForm(forms.Form):
    text = forms.CharField(label="Plak het certificaat", required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
                           help_text="De ondertekende tekst (begint met eyJ…) of de inhoud van het JSON-bestand.")
    file = forms.FileField(label="of kies het bestand", required=False,
                           help_text="Het .jwt- of .json-bestand dat de leerling heeft gedownload.")
    holder_name = forms.CharField(label="Naam van de houder (niet verplicht)", required=False, max_length=200,
                                  help_text="Vul de naam in zoals op het identiteitsbewijs: Maatwerk controleert of het "
                                            "certificaat bij die naam hoort, zonder de naam op te slaan.")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError("Dit bestand is te groot voor een certificaat.")
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError("Dit bestand is geen tekst: kies het .jwt- of .json-bestand.") from exc
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("Plak een certificaat of kies een bestand.")
        return data


class RouteForm(forms.Form):
    name = forms.CharField(label="Naam van de route", max_length=200)
    kind = forms.ChoiceField(label="Soort route", choices=RouteKind.choices, widget=forms.RadioSelect,
                             initial=RouteKind.CONTINUOUS,
                             help_text="Doorlopend: vmbo-diploma en mbo-diploma. Geïntegreerd (basisberoepsgericht): "
                                       "rechtstreeks naar mbo niveau 2, (een deel van) het vmbo-examen vervalt.")
    mbo_college = forms.ModelChoiceField(label="Mbo-instelling", queryset=None, empty_label="— kies —")
    qualification = forms.ModelChoiceField(label="Mbo-kwalificatie (crebo)", queryset=MboQualification.objects.order_by(
        "name"), empty_label="— kies —")
    five_year = forms.BooleanField(label="Vijfjarig vmbo (de route duurt een jaar langer)", required=False)
    modules = forms.ModelMultipleChoiceField(label="Modulen die meetellen voor de mbo-kwalificatie", required=False,
                                             queryset=Module.objects.filter(current_version__isnull=False)
                                             .select_related("current_version").order_by("code"),
                                             widget=forms.SelectMultiple(attrs={"size": 10}))
    description = forms.CharField(label="Omschrijving", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from maatwerk.schools.models import Partner, PartnerKind

        self.fields["mbo_college"].queryset = Partner.objects.filter(school=school, kind=PartnerKind.MBO_COLLEGE)
        self.fields["modules"].label_from_instance = lambda m: f"{m.code} {m.current_version.title}"
        self.fields["qualification"].label_from_instance = lambda q: f"{q.crebo} {q.name} (niveau {q.level or '?'})"
