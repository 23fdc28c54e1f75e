"""The programme's use cases: start, add, remove, propose, approve, send back, reopen; revisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from maatwerk.students import selectors, services
from maatwerk.students.models import ItemStatus, Programme, ProgrammeRevision
from tests import factories as f

from .conftest import complete_programme


def codes(exc) -> set[str]:
    return {finding.code for finding in exc.findings}


def test_start_from_a_package_plans_its_modules_in_the_package_years(pilot):
    result = services.start_programme(student=pilot.student, by=pilot.student_user, package=pilot.package)
    programme = result.programme
    assert programme.regulation_id == "spv-modulair"  # from the school's policy
    assert programme.package == pilot.package and programme.status == "concept" and programme.revision == 1
    placed = {i.module_version.module.code: (i.school_year, i.year_level) for i in programme.items.all()}
    assert placed == {"EO-K-01": (2025, 3), "EO-K-02": (2025, 3), "EO-V-01": (2025, 3),
                      "EO-V-02": (2026, 4), "EO-V-03": (2026, 4), "EO-V-04": (2026, 4)}
    assert result.skipped == []
    assert {i.offering_id for i in programme.items.all()} == {
        pilot.offerings[(c, y)].pk for c, (y, _) in placed.items()}


def test_start_from_a_package_skips_what_the_school_does_not_offer(pilot):
    other = f.ModuleFactory(code="PIE-K-09")
    f.ModuleVersionFactory(module=other, profielen=[f.profiel("PIE")])
    f.PackageModuleFactory(package=pilot.package, module=other, year_level=3, order=99)
    result = services.start_programme(student=pilot.student, by=pilot.mentor, package=pilot.package)
    assert [code for code, _ in result.skipped] == ["PIE-K-09"]
    assert "niet aan" in result.skipped[0][1]


def test_start_from_nothing_and_only_once(pilot):
    programme = services.start_programme(student=pilot.student, by=pilot.student_user).programme
    assert not programme.items.exists()
    with pytest.raises(services.ProgrammeStateError):
        services.start_programme(student=pilot.student, by=pilot.student_user)


def test_who_may_compose(pilot):
    for user in (pilot.parent, pilot.teacher, pilot.other_user):
        with pytest.raises(PermissionDenied):
            services.start_programme(student=pilot.student, by=user)
    assert not Programme.objects.exists()
    services.start_programme(student=pilot.student, by=pilot.counsellor)


def test_the_engine_refuses_a_module_that_cannot_be_in_the_programme(pilot):
    programme = services.start_programme(student=pilot.student, by=pilot.student_user).programme
    # the school offers this module for BB and KB only: not for this GL student
    kb_only = f.OfferingFactory(school=pilot.school, school_year=2025, for_gl=False,
                                module_version=f.ModuleVersionFactory(profielen=[f.profiel("EO")]))
    with pytest.raises(services.ModuleNotAllowed) as exc:
        services.add_module(programme=programme, offering=kb_only, by=pilot.student_user)
    assert codes(exc.value) == {"PROGRAMME_MODULE_NOT_OFFERED"}
    # a second version of a module already in the programme
    services.add_module(programme=programme, offering=pilot.offerings[("EO-K-01", 2025)], by=pilot.student_user)
    type(pilot.versions["EO-K-01"]).objects.filter(pk=pilot.versions["EO-K-01"].pk).update(status="superseded")
    second = f.ModuleVersionFactory(module=pilot.versions["EO-K-01"].module, profielen=[f.profiel("EO")])
    duplicate = f.OfferingFactory(school=pilot.school, module_version=second, school_year=2026, for_tl=True)
    with pytest.raises(services.ModuleNotAllowed) as exc:
        services.add_module(programme=programme, offering=duplicate, by=pilot.student_user)
    assert codes(exc.value) == {"PROGRAMME_DUPLICATE_MODULE"}
    # an oriënterende module belongs to the onderbouw
    with pytest.raises(services.ModuleNotAllowed) as exc:
        services.add_module(programme=programme, offering=pilot.offerings[("OR-01", 2025)], by=pilot.student_user)
    assert codes(exc.value) == {"PROGRAMME_ORIENTING_IN_UPPER_YEARS"}
    assert programme.items.count() == 1


def test_an_offering_of_another_school_is_refused(pilot):
    programme = services.start_programme(student=pilot.student, by=pilot.student_user).programme
    elsewhere = f.OfferingFactory(school_year=2025, for_tl=True)
    with pytest.raises(services.ModuleNotAllowed):
        services.add_module(programme=programme, offering=elsewhere, by=pilot.student_user)


def test_remove_a_planned_module_but_not_a_completed_one(pilot):
    programme = complete_programme(pilot)
    items = {i.module_version.module.code: i for i in programme.items.all()}
    services.remove_item(item=items["EO-V-04"], by=pilot.student_user)
    assert not programme.items.filter(module_version__module__code="EO-V-04").exists()
    services.record_item_status(item=items["EO-K-01"], status=ItemStatus.COMPLETED, by=pilot.mentor)
    with pytest.raises(services.ProgrammeError):
        services.remove_item(item=items["EO-K-01"], by=pilot.student_user)
    with pytest.raises(PermissionDenied):
        services.record_item_status(item=items["EO-K-02"], status=ItemStatus.COMPLETED, by=pilot.student_user)


def test_propose_is_refused_while_the_engine_finds_errors(pilot):
    programme = services.start_programme(student=pilot.student, by=pilot.student_user).programme
    services.add_module(programme=programme, offering=pilot.offerings[("EO-V-01", 2025)], by=pilot.student_user)
    with pytest.raises(services.ProgrammeInvalid) as exc:
        services.propose_programme(programme=programme, by=pilot.student_user)
    assert codes(exc.value) == {"PROGRAMME_UNITS_TOO_FEW", "PROGRAMME_COMPOSITION_NOT_MET"}
    assert Programme.objects.get().status == "concept"
    assert not ProgrammeRevision.objects.exists()


def test_approval_needs_the_mentor_and_a_conversation_and_freezes_a_revision(pilot):
    programme = complete_programme(pilot)
    programme = services.propose_programme(programme=programme, by=pilot.student_user)
    assert programme.status == "proposed" and programme.proposed_at is not None
    proposed = ProgrammeRevision.objects.get()
    assert (proposed.event, proposed.number, len(proposed.items)) == ("proposed", 1, 6)

    conversation = f.CareerConversationFactory(student=pilot.student)
    with pytest.raises(PermissionDenied):
        services.approve_programme(programme=programme, by=pilot.student_user, conversation=conversation)
    with pytest.raises(PermissionDenied):
        services.approve_programme(programme=programme, by=pilot.parent, conversation=conversation)
    with pytest.raises(services.ProgrammeError):
        services.approve_programme(programme=programme, by=pilot.mentor, conversation=None)
    with pytest.raises(services.ProgrammeError):
        services.approve_programme(programme=programme, by=pilot.mentor,
                                   conversation=f.CareerConversationFactory(student=pilot.other))

    programme = services.approve_programme(programme=programme, by=pilot.mentor, conversation=conversation,
                                           comment="Mooi programma.")
    assert (programme.status, programme.approved_by, programme.approval_conversation) == (
        "approved", pilot.mentor, conversation)
    frozen = ProgrammeRevision.objects.get(event="approved")
    assert (frozen.number, frozen.status, frozen.conversation, frozen.comment) == (
        1, "approved", conversation, "Mooi programma.")
    assert sorted(i["module_code"] for i in frozen.items) == ["EO-K-01", "EO-K-02", "EO-V-01", "EO-V-02",
                                                              "EO-V-03", "EO-V-04"]
    assert frozen.findings == []  # the engine found nothing: frozen with the revision
    with pytest.raises(ValueError):
        frozen.save()  # a frozen revision never changes


def test_engine_errors_block_approval(pilot):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    # the school stops offering a module the programme plans (after the proposal)
    pilot.offerings[("EO-V-04", 2026)].delete()
    with pytest.raises(services.ProgrammeInvalid) as exc:
        services.approve_programme(programme=programme, by=pilot.mentor,
                                   conversation=f.CareerConversationFactory(student=pilot.student))
    assert "PROGRAMME_MODULE_NOT_OFFERED" in codes(exc.value)
    assert Programme.objects.get().status == "proposed"


def test_a_change_after_approval_needs_a_reason_and_makes_a_new_revision(pilot):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    talk = f.CareerConversationFactory(student=pilot.student)
    programme = services.approve_programme(programme=programme, by=pilot.mentor, conversation=talk)
    with pytest.raises(services.ProgrammeLocked):
        services.add_module(programme=programme, offering=pilot.offerings[("ZW-K-01", 2026)], by=pilot.student_user)
    with pytest.raises(services.ProgrammeError):
        services.reopen_programme(programme=programme, by=pilot.student_user, reason="  ")

    programme = services.reopen_programme(programme=programme, by=pilot.student_user,
                                          reason="Ik wil ook zorg proberen.")
    assert (programme.revision, programme.status, programme.approved_by) == (2, "concept", None)
    services.add_module(programme=programme, offering=pilot.offerings[("ZW-K-01", 2026)], by=pilot.student_user)
    services.propose_programme(programme=programme, by=pilot.student_user)
    programme = services.approve_programme(programme=programme, by=pilot.counsellor,
                                           conversation=f.CareerConversationFactory(student=pilot.student))

    approved = list(ProgrammeRevision.objects.filter(event="approved").order_by("number"))
    assert [r.number for r in approved] == [1, 2]
    assert len(approved[0].items) == 6 and approved[0].reason == ""  # revision 1 is unchanged
    assert len(approved[1].items) == 7 and approved[1].reason == "Ik wil ook zorg proberen."
    assert [r.number for r in selectors.revisions_of(programme)] == [2, 2, 1, 1]


def test_send_back_with_a_comment(pilot):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    with pytest.raises(services.ProgrammeError):
        services.return_programme(programme=programme, by=pilot.mentor, comment="")
    programme = services.return_programme(programme=programme, by=pilot.mentor,
                                          comment="Kijk nog eens naar logistiek.")
    assert (programme.status, programme.return_comment) == ("concept", "Kijk nog eens naar logistiek.")
    assert ProgrammeRevision.objects.filter(event="returned", comment="Kijk nog eens naar logistiek.").exists()


def test_a_change_withdraws_a_proposal(pilot):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    services.add_module(programme=programme, offering=pilot.offerings[("ZW-K-01", 2026)], by=pilot.student_user)
    assert Programme.objects.get().status == "concept"


def test_history_keeps_who_changed_what(pilot):
    programme = complete_programme(pilot)
    item = programme.items.first()
    item_id, history = item.pk, item.history.model
    services.remove_item(item=item, by=pilot.mentor)
    deleted = history.objects.filter(id=item_id, history_type="-").get()
    assert deleted.history_user == pilot.mentor


def test_record_a_module_of_an_earlier_year(pilot):
    programme = services.start_programme(student=pilot.student, by=pilot.mentor).programme
    item = services.record_past_item(programme=programme, module_version=pilot.versions["OR-01"],
                                     school_year=2023, by=pilot.mentor)
    assert (item.year_level, item.status) == (1, "completed")
    with pytest.raises(services.ProgrammeError):
        services.record_past_item(programme=programme, module_version=pilot.versions["ZW-K-01"],
                                  school_year=2025, by=pilot.mentor)
    evaluation = selectors.evaluate_programme(selectors.programme_of(pilot.student))
    assert "PROGRAMME_ORIENTING_IN_UPPER_YEARS" not in evaluation.verdict.codes


def test_a_package_without_leerjaren_is_spread_over_the_years_with_room(pilot):
    from maatwerk.schools.models import SchoolPolicy

    SchoolPolicy.objects.filter(school=pilot.school).update(introductory_before_deepening=True)
    package = f.PackageFactory(school=pilot.school, name="Alles", school_year=2025)
    codes = ["EO-V-01", "EO-V-02", "EO-V-03", "EO-V-04", "ZW-V-01", "ZW-K-01", "ZW-K-02", "EO-K-01", "EO-K-02"]
    for n in range(4):  # four more verdiepende modules: 13 in all, room for 12 in two years
        version = f.ModuleVersionFactory(module=f.ModuleFactory(code=f"EO-V-1{n}"), module_type="DEEPENING",
                                         for_tl=True, profielen=[f.profiel("EO")])
        f.OfferingFactory(school=pilot.school, module_version=version, school_year=2025, for_tl=True)
        f.OfferingFactory(school=pilot.school, module_version=version, school_year=2026, for_tl=True)
        codes.append(f"EO-V-1{n}")
    for order, code in enumerate(codes):
        f.PackageModuleFactory(package=package, module=f.ModuleFactory(code=code), order=order)
    result = services.start_programme(student=pilot.student, by=pilot.student_user, package=package)
    per_year = {}
    for item in result.added:
        per_year.setdefault(item.school_year, []).append(item.module_version.module_type)
    assert {y: len(t) for y, t in per_year.items()} == {2025: 6, 2026: 6}
    assert result.added[0].module_version.module_type == "INTRODUCTORY"  # kennismakend first
    assert per_year[2025].count("INTRODUCTORY") == per_year[2026].count("INTRODUCTORY") == 2  # spread evenly
    assert len(result.skipped) == 1 and "plaats" in result.skipped[0][1]
    codes_found = selectors.evaluate_programme(selectors.programme_of(pilot.student)).verdict.codes
    assert not codes_found & {"PROGRAMME_YEAR_UNITS_EXCEEDED", "PROGRAMME_INTRODUCTORY_FIRST"}
