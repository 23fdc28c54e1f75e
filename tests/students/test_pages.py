"""The pages: composing with htmx and without JavaScript, tenancy (404), the list, the class routes,
the parent's page, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.catalog.models import unfrozen
from maatwerk.students import services
from maatwerk.students.models import Programme, Student
from tests import factories as f

from .conftest import complete_programme

HTMX = {"HTTP_HX_REQUEST": "true"}


def programme_url(student):
    return reverse("students:programme", args=[student.pk])


def test_a_student_composes_from_a_package_with_htmx(pilot, client, login):
    login(client, pilot.student_user)
    page = client.get(reverse("students:my_programme"))
    assert page.status_code == 200
    assert "Economie en ondernemen breed" in page.content.decode()  # the package to start from

    response = client.post(reverse("students:programme_start", args=[pilot.student.pk]),
                           {"package": pilot.package.pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="composer"' in html and "<html" not in html  # a partial
    assert "6 modulen gepland" in html and "geen fouten" in html

    item = Programme.objects.get().items.get(module_version__module__code="EO-K-01")
    html = client.post(reverse("students:programme_remove", args=[pilot.student.pk, item.pk]), **HTMX) \
        .content.decode()
    assert 'data-code="PROGRAMME_UNITS_TOO_FEW"' in html
    assert "Nog 1 eenheid in totaal" in html  # units left per requirement, in plain Dutch

    html = client.post(reverse("students:programme_add", args=[pilot.student.pk]),
                       {"offering": pilot.offerings[("ZW-K-01", 2026)].pk}, **HTMX).content.decode()
    assert 'data-code="PROGRAMME_UNITS_TOO_FEW"' not in html and "geen fouten" in html

    html = client.post(reverse("students:programme_propose", args=[pilot.student.pk]), **HTMX).content.decode()
    assert "Voorgesteld op" in html
    assert Programme.objects.get().status == "proposed"


def test_without_javascript_a_post_redirects_back(pilot, client, login):
    login(client, pilot.student_user)
    response = client.post(reverse("students:programme_start", args=[pilot.student.pk]), {"package": ""})
    assert response.status_code == 302 and response.url == reverse("students:my_programme")
    response = client.post(reverse("students:programme_add", args=[pilot.student.pk]),
                           {"offering": pilot.offerings[("EO-V-01", 2025)].pk}, follow=True)
    html = response.content.decode()
    assert "EO-V-01 Presenteren en verkopen is toegevoegd" in html
    assert 'data-code="PROGRAMME_COMPOSITION_NOT_MET"' in html


def test_a_refused_module_shows_the_engine_reason(pilot, client, login):
    login(client, pilot.student_user)
    services.start_programme(student=pilot.student, by=pilot.student_user)
    html = client.post(reverse("students:programme_add", args=[pilot.student.pk]),
                       {"offering": pilot.offerings[("OR-01", 2025)].pk}, **HTMX).content.decode()
    assert 'role="alert"' in html and "PROGRAMME_ORIENTING_IN_UPPER_YEARS" in html
    assert not Programme.objects.get().items.exists()


def test_mentor_approves_after_a_conversation_and_the_history_shows_it(pilot, client, login):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    talk = f.CareerConversationFactory(student=pilot.student)
    login(client, pilot.mentor)
    html = client.get(programme_url(pilot.student)).content.decode()
    assert 'id="approve"' in html and "Terugsturen" in html
    html = client.post(reverse("students:programme_decide", args=[pilot.student.pk]),
                       {"action": "approve", "conversation": talk.pk, "comment": "Goed gekozen."}, **HTMX) \
        .content.decode()
    assert "Goedgekeurd op" in html
    programme.refresh_from_db()
    assert programme.status == "approved"
    history = client.get(reverse("students:programme_history", args=[pilot.student.pk])).content.decode()
    assert "Revisie 1" in history and "Goedgekeurd</strong> op" in history and "Voorgesteld</strong> op" in history
    assert "Goed gekozen." in history


def test_the_student_cannot_approve_and_the_parent_only_reads(pilot, client, login):
    services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    talk = f.CareerConversationFactory(student=pilot.student)
    login(client, pilot.student_user)
    assert 'id="approve"' not in client.get(reverse("students:my_programme")).content.decode()
    response = client.post(reverse("students:programme_decide", args=[pilot.student.pk]),
                           {"action": "approve", "conversation": talk.pk})
    assert response.status_code == 403
    login(client, pilot.parent)
    html = client.get(programme_url(pilot.student)).content.decode()
    assert "Weghalen" not in html and 'id="add"' not in html and "<svg" in html
    assert client.post(reverse("students:programme_remove", args=[pilot.student.pk, 1])).status_code in (403, 404)
    assert Programme.objects.get().status == "proposed"


@pytest.mark.parametrize("name", ["programme", "programme_history", "dossier", "dossier_pdf", "route_svg"])
def test_tenancy_of_the_pages(name, pilot, client, login):
    complete_programme(pilot)
    f.CareerActivityFactory(student=pilot.student)
    url = reverse(f"students:{name}", args=[pilot.student.pk])
    outsider_school = f.SchoolFactory()
    outsiders = [pilot.other_user,                                            # another student
                 f.member(Role.PARENT, school=pilot.school, student=pilot.other),  # another child's parent
                 f.member(Role.MENTOR, school=outsider_school),              # staff of another school
                 f.member(Role.COUNSELLOR, school=outsider_school)]
    for user in outsiders:
        login(client, user)
        assert client.get(url).status_code == 404, (name, user)
    for user in (pilot.student_user, pilot.parent, pilot.mentor, pilot.teacher):
        login(client, user)
        assert client.get(url).status_code == 200, (name, user)


def test_writes_of_another_school_are_404(pilot, client, login):
    complete_programme(pilot)
    login(client, f.member(Role.MENTOR, school=f.SchoolFactory()))
    for name in ("programme_start", "programme_add", "programme_propose", "programme_decide", "programme_reopen"):
        assert client.post(reverse(f"students:{name}", args=[pilot.student.pk])).status_code == 404, name


def test_my_pages_need_the_matching_role(pilot, client, login):
    login(client, pilot.mentor)
    assert client.get(reverse("students:my_programme")).status_code == 404
    assert client.get(reverse("students:my_children")).status_code == 404
    login(client, pilot.parent)
    assert client.get(reverse("students:my_dossier")).status_code == 404
    assert client.get(reverse("students:list")).status_code == 403


def test_the_parent_page_shows_the_route(pilot, client, login):
    complete_programme(pilot)
    login(client, pilot.parent)
    html = client.get(reverse("students:my_children")).content.decode()
    assert pilot.student.full_name in html and 'role="img"' in html and "EO-V-04" in html
    assert "Medewerker retail" in html  # where the route leads


def test_staff_list_puts_mentees_first_and_filters(pilot, client, login):
    other_mentor = f.member(Role.MENTOR, school=pilot.school)
    for n in range(3):
        f.StudentFactory(school=pilot.school, class_name="3GL2", mentor=other_mentor, first_name=f"Aaron{n}",
                         last_name="Aa")
    services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    login(client, pilot.mentor)
    html = client.get(reverse("students:list")).content.decode()
    assert html.index("Jansen, Sanne") < html.index("Aa, Aaron0")  # own mentee first despite the name
    html = client.get(reverse("students:list"), {"status": "proposed"}).content.decode()
    assert "Jansen, Sanne" in html and "Aaron0" not in html and "wacht op goedkeuring" in html
    html = client.get(reverse("students:list"), {"class_name": "3GL2"}).content.decode()
    assert "Aaron1" in html and "Jansen, Sanne" not in html
    assert f.SchoolFactory().name not in html


def test_staff_list_and_class_routes_leave_out_students_who_left(pilot, client, login):
    import datetime as dt

    f.StudentFactory(school=pilot.school, class_name="3GL1", mentor=pilot.mentor, first_name="Oud", last_name="Leerling",
                     left_on=dt.date(2026, 7, 10))
    login(client, pilot.mentor)
    html = client.get(reverse("students:list")).content.decode()
    assert "Jansen, Sanne" in html and "Leerling, Oud" not in html
    html = client.get(reverse("students:list"), {"left": "1"}).content.decode()
    assert "Leerling, Oud" in html and "uitgeschreven 10-07-2026" in html and "Jansen, Sanne" not in html
    html = client.get(reverse("students:class_routes", args=["3GL1"])).content.decode()
    assert "Route van Sanne Jansen" in html and "Oud Leerling" not in html
    left = Student.objects.get(first_name="Oud")
    assert "Uitgeschreven op <strong>10-07-2026</strong>" in client.get(programme_url(left)).content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_flat(pilot, client, login):
    login(client, pilot.mentor)
    small = _count(client, reverse("students:list"))
    for _ in range(20):
        f.StudentFactory(school=pilot.school, mentor=pilot.mentor)
    assert _count(client, reverse("students:list")) == small


def _many_items(pilot, programme, n, prefix):
    for k in range(n):
        version = f.ModuleVersionFactory(module=f.ModuleFactory(code=f"{prefix}-{k:02d}"), for_tl=True,
                                         module_type="DEEPENING", profielen=[f.profiel("EO")])
        with unfrozen():
            version.mbo_qualifications.add(pilot.qualification)
        offering = f.OfferingFactory(school=pilot.school, module_version=version, school_year=2025 + k % 2,
                                     for_tl=True)
        f.ProgrammeItemFactory(programme=programme, module_version=version, offering=offering,
                               school_year=offering.school_year, year_level=3 + k % 2)


def test_programme_page_query_count_is_flat(pilot, client, login):
    programme = f.ProgrammeFactory(student=pilot.student)
    _many_items(pilot, programme, 3, "EO-A")
    login(client, pilot.mentor)
    small = _count(client, programme_url(pilot.student))
    programme.items.all().delete()
    _many_items(pilot, programme, 20, "EO-B")
    assert _count(client, programme_url(pilot.student)) == small


def test_class_routes_show_each_student(pilot, client, login):
    complete_programme(pilot)
    login(client, pilot.mentor)
    html = client.get(reverse("students:class_routes", args=["3GL1"])).content.decode()
    assert html.count('class="route strip"') == 2
    assert "Route van Sanne Jansen" in html and "Medewerker retail" in html
    login(client, pilot.student_user)
    assert client.get(reverse("students:class_routes", args=["3GL1"])).status_code == 403
    login(client, f.member(Role.MENTOR, school=f.SchoolFactory()))
    assert client.get(reverse("students:class_routes", args=["3GL1"])).status_code == 404


def test_route_svg_is_accessible_and_uses_okabe_ito(pilot, client, login):
    import re
    from pathlib import Path

    import maatwerk.web
    from maatwerk.students.route import OKABE_ITO

    programme = complete_programme(pilot)
    services.record_item_status(item=programme.items.get(module_version__module__code="EO-K-01"),
                                status="completed", by=pilot.mentor)
    login(client, pilot.student_user)
    svg = client.get(reverse("students:route_svg", args=[pilot.student.pk])).content.decode()
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="route-title route-desc"' in svg
    assert "<title id=\"route-title\">Route van Sanne Jansen</title>" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert "kennismakend EO-K-01" in desc and "(afgerond)" in desc and "Medewerker retail" in desc
    assert "✓ afgerond" in svg and "○ gepland" in svg and 'stroke-dasharray' in svg  # not colour alone
    assert "Kern" in svg and "Kennismakend" in svg and "Verdiepend" in svg and "Oriënterend" in svg
    css = (Path(maatwerk.web.__file__).parent / "static/web/maatwerk.css").read_text()
    for name, value in OKABE_ITO.items():
        assert f"--{name}: {value};" in css
    assert not re.search(r"\sstyle=", svg)  # CSP: no inline styles


def test_the_route_of_a_student_who_left_marks_no_leerjaar_as_now(pilot, client, login):
    import datetime as dt

    complete_programme(pilot)
    login(client, pilot.mentor)
    html = client.get(reverse("students:programme", args=[pilot.student.pk])).content.decode()
    assert f"Leerjaar {pilot.student.year_level} · nu" in html and "nu in leerjaar" in html
    Student.objects.filter(pk=pilot.student.pk).update(left_on=dt.date(2026, 7, 10))
    html = client.get(reverse("students:programme", args=[pilot.student.pk])).content.decode()
    assert "· nu" not in html and "nu in leerjaar" not in html
    assert f"van school sinds 10-07-2026 (laatste leerjaar {pilot.student.year_level})" in html
