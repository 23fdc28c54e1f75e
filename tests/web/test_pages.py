from __future__ import annotations

import pytest
from django.urls import reverse

from maatwerk.accounts.models import Role
from tests.factories import SchoolFactory, member


@pytest.mark.django_db
def test_kern_page_is_public_and_shows_every_area(client):
    response = client.get(reverse("kern:detail"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Communiceren", "Zelfsturing", "Toekomstbestendig werken", "Procesmatig/systematisch werken",
                  "Kwaliteitenreflectie", "loopbaandossier"]:
        assert title in html
    assert "Versie 1" in html


@pytest.mark.django_db
def test_kern_page_query_count_is_fixed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("kern:detail"))


@pytest.mark.django_db
def test_home_shows_tasks_for_the_role(client, login):
    mentor = member(Role.MENTOR, school=SchoolFactory())
    login(client, mentor)
    response = client.get("/")
    assert response.status_code == 200
    assert "Goedendag" in response.content.decode()


@pytest.mark.django_db
def test_error_pages_are_dutch(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("kern:detail"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_login_logout_with_email(client):
    user = member(Role.MENTOR, school=SchoolFactory())
    response = client.post(reverse("login"), {"username": user.email, "password": "geheim-wachtwoord-1"})
    assert response.status_code == 302
    response = client.post(reverse("login"), {"username": user.email, "password": "fout"})
    assert "klopt niet" in response.content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_dutch_mail(client, mailoutbox):
    user = member(Role.MENTOR, school=SchoolFactory())
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "wachtwoord" in mailoutbox[0].body


@pytest.mark.django_db
def test_navigation_by_role_marks_the_most_specific_item(client, login):
    steward = member(Role.STEWARD)
    login(client, steward)
    response = client.get("/menukaart/beheer/")
    items = {i["label"]: i for i in response.context["nav_items"]}
    assert items["Beheer menukaart"]["active"] and not items["Menukaart"]["active"]
    assert "Leerlingen" not in items  # the steward sees no school's students
    teacher = member(Role.TEACHER, school=SchoolFactory())
    login(client, teacher)
    labels = [i["label"] for i in client.get("/").context["nav_items"]]
    assert "Lesgroepen" in labels and "Cijfers" in labels and "Beheer menukaart" not in labels
