"""Forms of the school pages. They only read and tidy input; every rule is in services (and the engine)."""

from __future__ import annotations

from django import forms

from maatwerk.catalog.models import MboQualification, Module, ModuleType, Profiel
from maatwerk.domain import Leerweg, school_year_label

from .models import PackageKind, PartnerKind, TaughtAt

LEERWEG_CHOICES = [(lw.value, f"{lw.value} ({lw.label})") for lw in Leerweg]
YES_NO = [("", "alle")]


def year_choices(years) -> list[tuple[int, str]]:
    return [(y, school_year_label(y)) for y in sorted(set(years))]


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes in a plain list (styled by schools.css)."""

    option_template_name = "django/forms/widgets/checkbox_option.html"


class PickerFilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "code of titel"}))
    profiel = forms.ModelChoiceField(Profiel.objects.order_by("name"), label="Profiel", required=False,
                                     empty_label="alle profielen", to_field_name="code")
    soort = forms.ChoiceField(label="Soort", required=False,
                              choices=[("", "alle soorten"), *ModuleType.choices])
    leerweg = forms.ChoiceField(label="Leerweg", required=False, choices=[("", "alle leerwegen"), *Leerweg.choices])


class BulkAddForm(forms.Form):
    versions = forms.TypedMultipleChoiceField(coerce=int, label="Modulen", choices=(),
                                              error_messages={"required": "Vink ten minste één module aan."})
    leerwegen = forms.MultipleChoiceField(label="Voor de leerwegen", choices=LEERWEG_CHOICES, required=False,
                                          widget=CheckboxList,
                                          help_text="Elke module komt in het aanbod voor de aangevinkte leerwegen "
                                                    "waarvoor zij een uitwerking heeft. Niets aangevinkt: alle "
                                                    "leerwegen van de module.")
    location = forms.ModelChoiceField(None, label="Vestiging", required=False, empty_label="alle vestigingen")

    def __init__(self, *args, version_ids=(), locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["versions"].choices = [(pk, pk) for pk in version_ids]
        self.fields["location"].queryset = locations


class OfferingForm(forms.Form):
    leerwegen = forms.MultipleChoiceField(label="Leerwegen", choices=LEERWEG_CHOICES, widget=CheckboxList)
    location = forms.ModelChoiceField(None, label="Vestiging", required=False, empty_label="alle vestigingen")
    capacity = forms.IntegerField(label="Plaatsen", required=False, min_value=1, max_value=999,
                                  help_text="Leeg: geen maximum.")
    taught_at = forms.ChoiceField(label="Waar wordt de module gegeven?", choices=TaughtAt.choices,
                                  widget=forms.RadioSelect)
    partner = forms.ModelChoiceField(None, label="Partner", required=False, empty_label="geen partner")
    teachers = forms.ModelMultipleChoiceField(None, label="Docenten", required=False, widget=CheckboxList)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, locations=None, partners=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["partner"].queryset = partners
        self.fields["teachers"].queryset = staff
        self.fields["teachers"].label_from_instance = lambda u: u.full_name or u.email


class PackageForm(forms.Form):
    name = forms.CharField(label="Naam van het pakket", max_length=200)
    kind = forms.ChoiceField(label="Soort pakket", choices=PackageKind.choices, widget=forms.RadioSelect,
                             help_text="Breed: kennismaken met meer richtingen. Smal: verdiepen in één richting.")
    school_year = forms.TypedChoiceField(label="Schooljaar", coerce=int, choices=())
    modules = forms.ModelMultipleChoiceField(Module.objects.none(), label="Modulen", required=False,
                                             widget=forms.CheckboxSelectMultiple)
    mbo_qualifications = forms.ModelMultipleChoiceField(MboQualification.objects.none(), required=False,
                                                        label="Leidt naar (mbo)", widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="Omschrijving voor leerlingen en ouders", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    regional_rationale = forms.CharField(label="Waarom dit pakket in onze regio?", required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         help_text="Bijvoorbeeld: welke bedrijven en mbo-opleidingen in de buurt.")
    is_public = forms.BooleanField(label="Laat dit pakket zien op de openbare schoolpagina", required=False)

    def __init__(self, *args, years=(), modules=None, qualifications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = year_choices(years)
        self.fields["modules"].queryset = modules
        self.fields["mbo_qualifications"].queryset = qualifications


class PartnerForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200)
    kind = forms.ChoiceField(label="Soort organisatie", choices=PartnerKind.choices)
    city = forms.CharField(label="Plaats", max_length=100, required=False)
    offers_outside_learning = forms.BooleanField(label="Buitenschools leren", required=False)
    offers_internship = forms.BooleanField(label="Stage", required=False)
    offers_assessment = forms.BooleanField(label="Beoordelen en examineren", required=False)
    description = forms.CharField(label="Omschrijving (ook op de openbare schoolpagina)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label="Contactpersoon", max_length=200, required=False)
    contact_email = forms.EmailField(label="E-mail contactpersoon", required=False)
    contact_phone = forms.CharField(label="Telefoon", max_length=30, required=False)


class GroupForm(forms.Form):
    offering = forms.ModelChoiceField(None, label="Module uit het aanbod")
    name = forms.CharField(label="Naam van de lesgroep", max_length=50, help_text="Bijvoorbeeld 3zw-a.")
    period = forms.TypedChoiceField(label="Periode", coerce=int, required=False, empty_value=None,
                                    choices=[("", "hele jaar"), (1, "1"), (2, "2"), (3, "3"), (4, "4")])
    teacher = forms.ModelChoiceField(None, label="Docent", required=False, empty_label="nog niet bekend")
    schedule = forms.CharField(label="Rooster", max_length=200, required=False,
                               help_text="Bijvoorbeeld: di 3e-4e uur, lokaal P12.")

    def __init__(self, *args, offerings=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["offering"].label_from_instance = (
            lambda o: f"{o.module_version.module.code} {o.module_version.title} ({', '.join(o.leerwegen)})")
        self.fields["teacher"].queryset = staff
        self.fields["teacher"].label_from_instance = lambda u: u.full_name or u.email


class AddStudentsForm(forms.Form):
    students = forms.ModelMultipleChoiceField(None, label="Leerlingen toevoegen",
                                              widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, students=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students
        self.fields["students"].label_from_instance = (
            lambda s: f"{s.sort_name} · {s.class_name or '-'} · {s.leerweg}")


class LicenceForm(forms.Form):
    profiel = forms.ModelChoiceField(Profiel.objects.order_by("name"), label="Profiel")
    from_year = forms.IntegerField(label="Vanaf schooljaar", min_value=2000, max_value=2100,
                                   help_text="Het beginjaar: 2026 betekent 2026-2027.")
    to_year = forms.IntegerField(label="Tot en met schooljaar", min_value=2000, max_value=2100, required=False,
                                 help_text="Leeg: zonder einddatum.")


class PolicyForm(forms.Form):
    regulation_id = forms.ChoiceField(label="Regeling voor nieuwe cohorten", choices=())
    introductory_before_deepening = forms.BooleanField(
        label="Eerst een kennismakende module, dan pas een verdiepende", required=False,
        help_text="Het advies laat dit aan de school (‘Verdiepende modulen’).")
    extra_bb = forms.IntegerField(label="BB", min_value=0, max_value=20, required=False)
    extra_kb = forms.IntegerField(label="KB", min_value=0, max_value=20, required=False)
    extra_gl = forms.IntegerField(label="GL", min_value=0, max_value=20, required=False)
    extra_tl = forms.IntegerField(label="TL", min_value=0, max_value=20, required=False)
    extra_min_introductory = forms.IntegerField(label="Extra kennismakende eenheden", min_value=0, max_value=20)
    extra_min_deepening = forms.IntegerField(label="Extra verdiepende eenheden", min_value=0, max_value=20)
    max_units_per_year = forms.IntegerField(label="Maximum eenheden per schooljaar", min_value=1, max_value=20,
                                            required=False, help_text="Leeg: het maximum van de regeling.")
    loopbaandossier_required = forms.BooleanField(label="Het loopbaandossier is een voorwaarde in het PTA",
                                                  required=False)

    def __init__(self, *args, regulations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation_id"].choices = [(r.id, r.title) for r in regulations]

    def extra_min_units(self) -> dict[str, int]:
        return {lw: self.cleaned_data.get(f"extra_{lw.lower()}") or 0 for lw in ("BB", "KB", "GL", "TL")}


class SchoolProfileForm(forms.Form):
    description = forms.CharField(label="Over de school (openbaar)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    region = forms.CharField(label="Regio", max_length=100, required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")


IMPORT_KINDS = [
    ("aanbod", "Aanbod (modulen per schooljaar)"),
    ("lesgroepen", "Lesgroepen met hun leerlingen"),
    ("leerlingen", "Leerlingen"),
    ("medewerkers", "Medewerkers en hun rollen"),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Wat importeert u?", choices=IMPORT_KINDS, widget=forms.RadioSelect)
    file = forms.FileField(label="Bestand (CSV of Excel .xlsx)")
    school_year = forms.TypedChoiceField(label="Schooljaar voor regels zonder schooljaar", coerce=int,
                                         choices=(), required=False)
    dry_run = forms.BooleanField(label="Alleen controleren (er verandert nog niets)", required=False, initial=True)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = year_choices(years)
