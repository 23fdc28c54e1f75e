"""Bad input in every form (Hypothesis): wrong types, huge strings, odd characters, several values where one
is expected. A form never crashes and explains what is wrong in Dutch; a page that refuses its input saves
nothing and never answers with a server error.

The forms are found in the apps' `forms` modules (and the two-factor code form), so a new form is fuzzed
without a change here; one whose constructor needs arguments gets them from FORM_ARGUMENTS, and a new such
form without an entry fails `test_every_form_is_known`, naming it.
"""

from __future__ import annotations

import inspect
from importlib import import_module
from importlib.util import find_spec

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.accounts import policy
from maatwerk.accounts.policy import ALLOW, RELATIONS
from tests.security.routes import page_url

pytestmark = pytest.mark.django_db

APPS = ("accounts", "kern", "catalog", "schools", "students", "assessment", "diploma", "insight", "web")
EXTRA_MODULES = ("maatwerk.accounts.twofactor",)
#: Django's English messages: none of them may reach a Dutch user.
ENGLISH = ("This field", "Enter a", "Enter only", "Select a valid", "Ensure this", "is not a valid",
           "No file was submitted", "The submitted file", "Upload a valid", "Null characters", "is not one of",
           "Ensure that", "valid date", "valid number", "valid time")
HEAVY = "x" * 100_000


def form_classes() -> list[type[forms.BaseForm]]:
    modules = [f"maatwerk.{app}.forms" for app in APPS if find_spec(f"maatwerk.{app}.forms")]
    found = []
    for name in (*modules, *EXTRA_MODULES):
        module = import_module(name)
        for obj in vars(module).values():
            if (inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == name
                    and obj.base_fields):
                found.append(obj)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def label(cls) -> str:
    return f"{cls.__module__.split('.')[1]}.{cls.__name__}"


def _own_parameters(cls) -> set[str]:
    """The constructor's own keyword arguments (beyond Django's), for forms that need data to build."""
    names = set()
    for klass in cls.__mro__:
        if klass in (forms.Form, forms.BaseForm, forms.ModelForm, object) or "__init__" not in vars(klass):
            continue
        for p in inspect.signature(klass.__init__).parameters.values():
            if p.kind is p.KEYWORD_ONLY:
                names.add(p.name)
    return names


def _arguments(t: dict) -> dict:
    """Constructor arguments per form, from the world of tests/security/world.py."""
    from maatwerk.accounts.models import Membership
    from maatwerk.catalog.models import MboQualification, Module, ModuleObjective
    from maatwerk.catalog.services import proposer_organisations
    from maatwerk.kern.models import KernObjective
    from maatwerk.rules import list_regulations
    from maatwerk.schools.models import Offering, Partner, SchoolLocation
    from maatwerk.students.models import Student

    school = t["school"]
    staff = type(t["assessor_user"]).objects.filter(
        pk__in=Membership.objects.filter(school=school).values("user_id"))
    kern = list(KernObjective.objects.order_by("pk")[:5])
    return {
        "assessment.ItemForm": {"versions": [t["version"]], "partners": [t["partner"]], "objectives": kern},
        "assessment.RubricForm": {"objectives": list(ModuleObjective.objects.all()[:3]), "kern": kern},
        "assessment.KernObservationForm": {"objectives": kern},
        "assessment.AssessForm": {"item": t["item"], "kern_objectives": kern},
        "catalog.ProposalForm": {"memberships": proposer_organisations(t["proposal"].submitted_by)},
        "diploma.RouteForm": {"school": school},
        "schools.BulkAddForm": {"version_ids": [t["version"].pk], "locations": SchoolLocation.objects.filter(school=school)},
        "schools.OfferingForm": {"locations": SchoolLocation.objects.filter(school=school),
                         "partners": Partner.objects.filter(school=school), "staff": staff},
        "schools.PackageForm": {"years": [2025, 2026], "modules": Module.objects.all(),
                        "qualifications": MboQualification.objects.all()},
        "schools.GroupForm": {"offerings": Offering.objects.filter(school=school), "staff": staff},
        "schools.AddStudentsForm": {"students": Student.objects.filter(school=school)},
        "schools.PolicyForm": {"regulations": list_regulations()},
        "schools.ImportForm": {"years": [2025, 2026]},
        "students.StudentFilterForm": {"class_names": [t["class_name"]]},
        "students.DecisionForm": {"conversations": [t["conversation"]]},
        "students.ActivityForm": {"modules": [t["module"]], "partners": [t["partner"]]},
    }


#: The forms that _arguments() builds ("app.FormName").
FORM_ARGUMENTS = {"assessment.ItemForm", "assessment.RubricForm", "assessment.KernObservationForm",
                  "assessment.AssessForm", "catalog.ProposalForm", "diploma.RouteForm", "schools.BulkAddForm",
                  "schools.OfferingForm", "schools.PackageForm", "schools.GroupForm", "schools.AddStudentsForm",
                  "schools.PolicyForm", "schools.ImportForm", "students.StudentFilterForm", "students.DecisionForm",
                  "students.ActivityForm"}
#: Constructor arguments that may keep their default (a flag, a number of rows).
OPTIONAL = {"locked", "rows", "levels"}


def test_every_form_is_known():
    missing = [f"{c.__module__}.{c.__name__} ({', '.join(sorted(_own_parameters(c) - OPTIONAL))})"
               for c in form_classes() if _own_parameters(c) - OPTIONAL and label(c) not in FORM_ARGUMENTS]
    assert form_classes(), "no forms found"
    assert not missing, "forms whose constructor needs data: add them to FORM_ARGUMENTS and _arguments():\n" + \
        "\n".join(missing)


garbage = st.one_of(
    st.text(max_size=40),
    st.text(min_size=300, max_size=2000),
    st.sampled_from(["", " ", "\x00", "\u202e", "😀", "null", "None", "true", "on", "-1", "0", "1e309", "NaN",
                     "2025-02-30", "31-12-2025", "99999999999999999999999", "9" * 5000, HEAVY, "6,55", "10,1",
                     "<script>", "=1+1", "../../etc/passwd", "' OR 1=1 --"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)
values = st.one_of(garbage, st.lists(garbage, min_size=2, max_size=3))


def _data(fields, drawn: dict) -> tuple[MultiValueDict, MultiValueDict]:
    data, files = MultiValueDict(), MultiValueDict()
    for name, value in drawn.items():
        if isinstance(fields.get(name), forms.FileField):
            raw = (value if isinstance(value, str) else "".join(value)).encode("utf-8", "surrogatepass")
            files.setlist(name, [SimpleUploadedFile("bestand.csv", raw[:200_000], "text/csv")])
        else:
            data.setlist(name, value if isinstance(value, list) else [value])
    return data, files


def _english(errors) -> list[str]:
    messages = [str(m) for field_errors in errors.values() for m in field_errors]
    return [m for m in messages if any(e in m for e in ENGLISH)]


@pytest.mark.parametrize("form_class", form_classes(), ids=label)
def test_a_form_refuses_garbage_in_dutch(world, form_class):
    kwargs = _arguments(world["target"]).get(label(form_class), {})
    fields = form_class(**kwargs).fields
    names = st.sampled_from([*fields, "onbekend_veld"])

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(st.dictionaries(names, values, max_size=len(fields) + 1))
    def check(drawn):
        data, files = _data(fields, drawn)
        form = form_class(data, files, **kwargs)
        with transaction.atomic():  # a form may query; it must not write
            with CaptureQueriesContext(connection) as queries:
                try:
                    valid = form.is_valid()
                except OverflowError as exc:
                    # SQLite cannot bind an id of 30 digits (Django's `__in` lookup passes it on): the page
                    # answers 400 (web.middleware.BadNumberMiddleware; PostgreSQL just finds nothing).
                    assert connection.vendor == "sqlite" and "SQLite INTEGER" in str(exc), exc
                    valid = None
            transaction.set_rollback(True)
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(
            ("INSERT", "UPDATE", "DELETE"))]
        assert not writes, writes
        if valid is False:
            assert form.errors, "invalid without a message"
            assert not _english(form.errors), _english(form.errors)

    check()


# --- the pages that take these forms ----------------------------------------------------------------------


def _writer(entry) -> str | None:
    allowed = [r for r in RELATIONS if entry.write[r] == ALLOW]
    staff = [r for r in allowed if r in policy.STAFF or r == policy.STEWARD]
    return (staff or allowed or [None])[0]


WRITE_PAGES = [key for key, entry in policy.PAGES.items() if entry.write is not None and _writer(entry)]


@pytest.mark.parametrize("key", WRITE_PAGES)
def test_a_page_refuses_garbage_and_saves_nothing(world, key):
    from tests.security import payloads
    from tests.security.test_authz_matrix import BOOKKEEPING, WRITE, _restore

    entry = policy.PAGES[key]
    relation = _writer(entry)
    targets = world["unassigned"] if relation == policy.ASSESSOR_UNASSIGNED else world["target"]
    url = page_url(key, targets)
    keys = sorted(set(payloads.page(key, targets)) | {"q", "reason", "name", "title", "code"})
    client = world["clients"][relation]

    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(st.dictionaries(st.sampled_from(keys), values, min_size=1))
    def check(drawn):
        data = dict(drawn)
        with transaction.atomic():
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, data)
            writes = [q["sql"][:100] for q in queries.captured_queries
                      if WRITE.match(q["sql"]) and not BOOKKEEPING.match(q["sql"])]
            transaction.set_rollback(True)
        _restore(world, relation)
        assert response.status_code < 500, (response.status_code, getattr(response, "exc_info", None))
        if response.status_code in (200, 400, 409):
            body = response.content.decode("utf-8", "replace")
            assert not any(e in body for e in ENGLISH), [e for e in ENGLISH if e in body]
            if response.status_code != 200 or 'class="errorlist' in body or "fout" in body:
                assert not writes, f"a refused POST wrote: {writes[:3]}"

    check()


def test_an_id_of_thirty_digits_in_a_form_is_a_bad_request_not_a_server_error(world):
    """Found by the fuzz test above: a multiple choice of ids (the teachers of an offering) with a huge
    number crashed on SQLite. Now the 400 page on SQLite, the form's own message on PostgreSQL."""
    from tests.security.test_authz_matrix import _restore

    client = world["clients"]["school_leader"]
    offering = world["target"]["offering"]
    with transaction.atomic():
        response = client.post(f"/scholen/aanbod/{offering.pk}/", {"leerwegen": ["KB"], "teachers": [str(10**30)],
                                                                  "taught_at": "school"})
        transaction.set_rollback(True)
    _restore(world, "school_leader")
    assert response.status_code in (200, 400), response.status_code
    assert response.status_code == 400 or "errorlist" in response.content.decode()
