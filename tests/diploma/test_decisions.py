"""Exam decisions end to end: grades in the database -> engine.candidate_inputs -> decide_exam -> ExamDecision.

The boundary cases of the rules issue, each from results in the database (UB 3.32, 3.33 lid 3, 3.35), under
vmbo-huidig and the maatwerkdiploma (spv-modulair); the history of re-runs; an immutable sign-off; corrections;
a query count that does not grow with the number of candidates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from maatwerk import engine
from maatwerk.accounts.models import Role
from maatwerk.diploma import services
from maatwerk.diploma.models import (
    DECISION_CONTENT_NOT_IN_HISTORY,
    DecisionContentFixed,
    DecisionSignedOff,
    DecisionStatus,
    ExamDecision,
)
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
YEAR = b.EXAM_YEAR


def decide(school, **kw) -> dict:
    report = services.run_decisions(by=None, school=school, school_year=YEAR, **kw)
    return {line.student.pk: line.decision for line in report.lines}


def one(school, **candidate_kw) -> ExamDecision:
    student = b.current_candidate(school, **candidate_kw)
    return decide(school)[student.pk]


def errors(decision) -> set[str]:
    return {x["code"] for x in decision.findings if x["severity"] == "error"}


def codes(decision) -> set[str]:
    return {x["code"] for x in decision.findings}


@pytest.fixture
def current():
    return b.exam_school("vmbo-huidig")


@pytest.fixture
def modular():
    return b.exam_school("spv-modulair")


# --- vmbo-huidig: the boundary cases of UB 3.35, from the database ------------------------------


def test_the_base_exam_passes_with_the_combinatiecijfer_of_the_keuzevakken(current):
    d = one(current)
    assert d.outcome == "PASSED", d.findings
    assert d.regulation_id == "vmbo-huidig"
    assert d.combination_grade == 6
    assert d.final_grades["ne"] == 6 and d.final_grades["KV-1"] == 6
    assert d.status == DecisionStatus.DRAFT
    assert {s["code"] for s in d.inputs["subjects"]} >= {"ne", "en", "ma", "pv", "KV-1", "lo", "ckv"}


TEN_CE = ("bi", "gs", "fa", "du", "ak")


@pytest.mark.parametrize("last_ce,outcome", [("5.4", "FAILED"), ("5.5", "PASSED")])
def test_ce_mean_549_fails_and_550_passes(current, last_ce, outcome):
    """UB 3.35 lid 1 sub a: the unrounded mean of the CE grades, ten of them: 9 x 5.5 + 5.4 = 5.49."""
    changes = dict.fromkeys(("ne", "en", "wi", "ec", "pv", *TEN_CE[:-1]), (6, "5.5"))
    changes[TEN_CE[-1]] = (6, last_ce)
    d = one(current, changes=changes)
    assert d.outcome == outcome, d.findings
    assert ("EXAM_CE_MEAN_TOO_LOW" in errors(d)) == (outcome == "FAILED")


@pytest.mark.parametrize("changes,outcome,code", [
    ({"en": (4, 4)}, "FAILED", "EXAM_NO_COMPENSATING_7"),                       # a 4 without a 7
    ({"en": (4, 4), "wi": (7, 7)}, "PASSED", None),                              # a 4 with a 7
    ({"en": (5, 5), "wi": (5, 5)}, "FAILED", "EXAM_NO_COMPENSATING_7"),         # two 5s without a 7
    ({"en": (5, 5), "wi": (5, 5), "ec": (7, 7)}, "PASSED", None),               # two 5s with a 7
    ({"en": (4, 4), "wi": (5, 5), "ec": (8, 8)}, "FAILED", "EXAM_TOO_MANY_INSUFFICIENT"),  # a 4 and a 5: never
    ({"ne": (4, 4), "wi": (8, 8)}, "FAILED", "EXAM_NEDERLANDS_TOO_LOW"),        # Nederlands 4
    ({"ne": (5, 5)}, "PASSED", None),                                            # Nederlands 5 is the one 5
    ({"en": ("5.4", "5.5")}, "PASSED", None),                                    # 5.45 -> 5: one 5
    ({"en": ("5.4", "5.5"), "ec": (5, 5)}, "FAILED", "EXAM_NO_COMPENSATING_7"),  # 5.45 -> 5, with another 5
    ({"en": ("5.5", "5.5"), "ec": (5, 5)}, "PASSED", None),                      # 5.50 -> 6
], ids=["4-no-7", "4-with-7", "two-5s-no-7", "two-5s-with-7", "4-and-5", "ne-4", "ne-5", "545-is-5",
        "545-and-a-5", "550-is-6"])
def test_pass_rule_boundaries(current, changes, outcome, code):
    d = one(current, changes=changes)
    assert d.outcome == outcome, d.findings
    if code:
        assert code in errors(d)


def test_rounding_by_the_first_decimal_is_the_engines(current):
    low = one(current, changes={"en": ("5.4", "5.5")})
    high = one(current, changes={"en": ("5.5", "5.5")})
    assert low.final_grades["en"] == 5 and high.final_grades["en"] == 6


def test_a_keuzevak_of_3_fails_inside_a_sufficient_combinatiecijfer(current):
    """UB 3.35 lid 1 sub d: 3, 7, 7, 7 -> combinatiecijfer 6, but a part below 4."""
    d = one(current, keuzevakken=["3.0", "7.0", "7.0", "7.0"])
    assert d.combination_grade == 6
    assert d.outcome == "FAILED"
    assert "EXAM_COMBINATION_PART_BELOW_4" in errors(d)


def test_an_extra_subject_is_left_out_when_that_makes_the_candidate_pass(current):
    """UB 3.33 lid 3: the must-pass principle; the subject stays on the cijferlijst (UB 3.40 lid 2)."""
    d = one(current, extra={"du": (3, 3)})
    assert d.outcome == "PASSED", d.findings
    assert d.left_out == ["du"]
    assert d.final_grades["du"] == 3
    assert "EXAM_SUBJECT_LEFT_OUT" in codes(d)


def test_missing_grades_and_a_missing_dossier_make_the_exam_incomplete(current):
    no_ce = one(current, changes={"en": (6, None)})
    assert no_ce.outcome == "INCOMPLETE" and "EXAM_GRADE_MISSING" in errors(no_ce)
    no_lob = one(current, dossier=False)
    assert no_lob.outcome == "INCOMPLETE" and "EXAM_LOOPBAANDOSSIER_INCOMPLETE" in errors(no_lob)
    assert no_lob.inputs["loopbaandossier_missing"]


def test_the_school_can_switch_the_dossier_condition_off():
    school = b.exam_school("vmbo-huidig", loopbaandossier_required=False)
    d = one(school, dossier=False)
    assert d.outcome == "PASSED"
    assert d.inputs["overrides"] == ["loopbaandossier_required"]


def test_a_running_module_without_a_result_leaves_the_exam_incomplete(current):
    student = b.current_candidate(current, keuzevakken=[6, 6, 6])
    v = b.version("KV-4", legacy_kind="keuzevak")
    programme = f.ProgrammeFactory(student=student, regulation_id="vmbo-huidig")
    f.ProgrammeItemFactory(programme=programme, module_version=v, school_year=YEAR, year_level=4, status="enrolled")
    d = decide(current)[student.pk]
    assert d.outcome == "INCOMPLETE"
    assert "EXAM_GRADE_MISSING" in errors(d)
    assert any(s["source"] == "programma" and s["code"] == "KV-4" for s in d.inputs["subjects"])


def test_an_unfinished_module_the_student_stopped_does_not_block_the_exam(current):
    student = b.current_candidate(current)
    v = b.version("KV-9", legacy_kind="keuzevak")
    b.module_result(student, v, None)  # INCOMPLETE
    programme = f.ProgrammeFactory(student=student, regulation_id="vmbo-huidig")
    item = f.ProgrammeItemFactory(programme=programme, module_version=v, school_year=YEAR - 1, year_level=3,
                                  status="enrolled")
    assert decide(current)[student.pk].outcome == "INCOMPLETE"
    item.status = "not_completed"
    item.save()
    b.module_result(student, b.version("KV-10", legacy_kind="keuzevak"), None)  # outside the programme
    d = decide(current)[student.pk]
    assert d.outcome == "PASSED", d.findings
    assert not {"KV-9", "KV-10"} & {s["code"] for s in d.inputs["subjects"]}


def test_the_programmes_regulation_wins_over_the_schools(current):
    student = b.modular_candidate(current)
    f.ProgrammeFactory(student=student, regulation_id="spv-modulair")
    assert decide(current)[student.pk].regulation_id == "spv-modulair"


def test_an_unknown_regulation_is_reported_not_decided(current):
    student = b.current_candidate(current)
    f.ProgrammeFactory(student=student, regulation_id="bestaat-niet")
    report = services.run_decisions(by=None, school=current, school_year=YEAR)
    line = next(x for x in report.lines if x.student.pk == student.pk)
    assert line.decision is None and "bestaat-niet" in line.error
    assert not ExamDecision.objects.filter(student=student).exists()


# --- spv-modulair: the maatwerkdiploma ----------------------------------------------------------


def test_maatwerkdiploma_passes_and_keeps_each_level(modular):
    student = b.modular_candidate(modular, levels={"en": "GL", "M-3": "GL"})
    d = decide(modular)[student.pk]
    assert d.outcome == "PASSED", d.findings
    assert d.regulation_id == "spv-modulair"
    assert d.levels["en"] == "GL" and d.levels["M-3"] == "GL" and d.levels["ne"] == "KB"
    assert d.combination_grade is None


@pytest.mark.parametrize("modules,outcome,code", [
    (["5.0", 7, 6, 6, 6, 6, 6, 6], "PASSED", "DIPLOMA_COMPENSATED"),            # one insufficient, mean 6.0
    (["5.0", 6, 6, 6, 6, 6, 6, 6], "FAILED", "DIPLOMA_MEAN_TOO_LOW"),           # one insufficient, mean 5.92
    (["5.0", "5.0", 7, 7, 7, 7, 7, 7], "FAILED", "DIPLOMA_TOO_MANY_INSUFFICIENT"),
    (["3.0", 8, 8, 8, 8, 8, 8, 8], "FAILED", "DIPLOMA_GRADE_BELOW_MINIMUM"),
    ([6, 6, 6, 6, 6, 6, 6], "FAILED", "DIPLOMA_UNITS_TOO_FEW"),                 # KB needs 8 units
])
def test_maatwerkdiploma_compensation_and_units(modular, modules, outcome, code):
    student = b.modular_candidate(modular, modules=modules)
    d = decide(modular)[student.pk]
    assert d.outcome == outcome, d.findings
    assert code in codes(d)


# --- two cohorts under both regulations ---------------------------------------------------------


def test_cohorts_under_both_regulations(current, modular):
    """A small exam cohort per regulation, every leerweg, a realistic mix."""
    made = {
        "pass": [b.current_candidate(current, leerweg=lw) for lw in ("BB", "KB", "GL", "TL")],
        "fail": [b.current_candidate(current, leerweg="GL", changes={"pws": "onvoldoende"}),
                 b.current_candidate(current, leerweg="BB", changes={"lo": "onvoldoende"})],
        "mpass": [b.modular_candidate(modular, leerweg=lw, modules=[6] * {"BB": 8, "KB": 8, "GL": 6, "TL": 4}[lw])
                  for lw in ("BB", "KB", "GL", "TL")],
        "mfail": [b.modular_candidate(modular, leerweg="TL", modules=[6, 6, 6])],
    }
    decided = {**decide(current), **decide(modular)}
    assert [decided[s.pk].outcome for s in made["pass"]] == ["PASSED"] * 4
    assert [decided[s.pk].outcome for s in made["fail"]] == ["FAILED"] * 2
    assert {"EXAM_PWS_INSUFFICIENT"} <= errors(decided[made["fail"][0].pk])
    assert {"EXAM_LO_KUNSTVAK_INSUFFICIENT"} <= errors(decided[made["fail"][1].pk])
    assert [decided[s.pk].outcome for s in made["mpass"]] == ["PASSED"] * 4
    assert decided[made["mfail"][0].pk].outcome == "FAILED"
    assert {d.regulation_id for s, d in decided.items() if s in {x.pk for x in made["pass"]}} == {"vmbo-huidig"}


def test_candidates_are_the_final_year_and_repeaters(current):
    exam = b.current_candidate(current)
    younger = f.StudentFactory(school=current, cohort=YEAR, year_level=3)
    repeater = f.StudentFactory(school=current, cohort=YEAR - 2, year_level=4)
    b.grade(repeater, "ne", 6, 6)
    five_year = f.StudentFactory(school=current, cohort=YEAR - 1, year_level=4)
    route = f.ContinuousRouteFactory(school=current, five_year=True)
    route.students.add(five_year)
    other_school = b.current_candidate(b.exam_school())
    ids = set(services.exam_candidates(current, YEAR).values_list("pk", flat=True))
    assert ids == {exam.pk, repeater.pk}
    assert younger.pk not in ids and five_year.pk not in ids and other_school.pk not in ids
    assert five_year.pk in set(services.exam_candidates(current, YEAR + 1).values_list("pk", flat=True))


# --- re-runs keep the history -------------------------------------------------------------------


def test_a_rerun_keeps_unchanged_decisions_and_replaces_changed_ones(current):
    a = b.current_candidate(current)
    c = b.current_candidate(current, changes={"en": (4, 4)})
    first = decide(current)
    assert first[c.pk].outcome == "FAILED"
    again = services.run_decisions(by=None, school=current, school_year=YEAR)
    assert len(again.created) == 0 and len(again.unchanged) == 2
    # the resit: the highest CE of both tijdvakken goes to the administration (UB 3.39 lid 1)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=c, code="en").update(central_exam=Decimal("7.0"), school_exam=Decimal("6.0"))
    after = decide(current)
    assert after[a.pk].pk == first[a.pk].pk
    assert after[c.pk].pk != first[c.pk].pk and after[c.pk].outcome == "PASSED"
    assert after[c.pk].supersedes_id == first[c.pk].pk
    assert after[c.pk].correction_reason == services.RERUN_REASON
    old = ExamDecision.objects.get(pk=first[c.pk].pk)
    assert old.status == DecisionStatus.SUPERSEDED and old.outcome == "FAILED"
    assert list(ExamDecision.objects.current().filter(student=c)) == [after[c.pk]]
    assert ExamDecision.history.filter(id=old.pk).count() == 2  # created, then 'vervangen'


def _history_values(record) -> dict:
    return {f.attname: getattr(record, f.attname) for f in _history_fields()}


def _history_fields():
    """The decision's fields a history row carries: all but the JSON content that never changes."""
    return [f for f in ExamDecision._meta.concrete_fields if f.name not in DECISION_CONTENT_NOT_IN_HISTORY]


def test_every_decision_of_a_run_has_its_history_row_as_simple_history_writes_it(current):
    """run_decisions writes the decisions in bulk (COPY on PostgreSQL, maatwerk/bulk.py): each new decision has
    one '+' history row with every field as stored (but the JSON content, which never changes and stays on the
    decision) and the user who ran it; a re-run adds a '~' row (status 'vervangen') to the one it replaces, with
    the rest unchanged."""
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    students = [b.current_candidate(current, changes={"en": (4, 4)} if i == 0 else None) for i in range(3)]
    first = services.run_decisions(by=secretary, school=current, school_year=YEAR)
    assert len(first.created) == 3
    for line in first.lines:
        stored = ExamDecision.objects.get(pk=line.decision.pk)
        assert stored.computed_at == line.decision.computed_at and stored.inputs == line.decision.inputs
        (record,) = ExamDecision.history.filter(id=stored.pk)
        assert record.history_type == "+" and record.history_user == secretary
        assert record.history_change_reason is None
        assert _history_values(record) == {f.attname: getattr(stored, f.attname) for f in _history_fields()}
        assert {"outcome", "status", "regulation_id", "student_id"} <= {f.attname for f in _history_fields()}
        assert not any(hasattr(record, name) for name in DECISION_CONTENT_NOT_IN_HISTORY)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=students[0], code="en").update(central_exam=Decimal("7.0"),
                                                                      school_exam=Decimal("6.0"))
    again = services.run_decisions(by=secretary, school=current, school_year=YEAR)
    assert len(again.created) == 1
    old = ExamDecision.objects.get(pk=first.lines[[ln.student.pk for ln in first.lines].index(students[0].pk)]
                                   .decision.pk)
    created, replaced = ExamDecision.history.filter(id=old.pk).order_by("history_id")
    assert replaced.history_type == "~" and replaced.status == DecisionStatus.SUPERSEDED
    assert replaced.history_user == secretary
    assert {**_history_values(created), "status": DecisionStatus.SUPERSEDED} == _history_values(replaced)
    (new,) = again.created
    assert ExamDecision.history.get(id=new.decision.pk).supersedes_id == old.pk


def test_a_dry_run_saves_nothing(current):
    b.current_candidate(current)
    report = services.run_decisions(by=None, school=current, school_year=YEAR, dry_run=True)
    assert report.outcomes["PASSED"] == 1 and "proefberekening" in report.summary()
    assert not ExamDecision.objects.exists()


# --- sign-off is final ---------------------------------------------------------------------------


def test_a_signed_off_decision_cannot_change(current):
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    d = one(current)
    services.sign_off(by=secretary, decision=d)
    d.refresh_from_db()
    assert d.status == DecisionStatus.SIGNED_OFF and d.signed_off_by == secretary and d.signed_off_at
    d.outcome = "FAILED"
    with pytest.raises(DecisionSignedOff):
        d.save()
    with pytest.raises(DecisionSignedOff):
        ExamDecision.objects.filter(pk=d.pk).update(outcome="FAILED")
    with pytest.raises(DecisionSignedOff):
        ExamDecision.objects.filter(pk=d.pk).update(status=DecisionStatus.DRAFT)
    with pytest.raises(DecisionSignedOff):
        ExamDecision.objects.get(pk=d.pk).delete()
    with pytest.raises(DecisionSignedOff):
        ExamDecision.objects.filter(pk=d.pk).delete()
    with pytest.raises(services.DiplomaError) as exc:
        services.sign_off(by=secretary, decision=d)
    assert exc.value.code == "diploma_decision_signed_off"
    stored = ExamDecision.objects.get(pk=d.pk)
    assert stored.outcome == "PASSED" and stored.status == DecisionStatus.SIGNED_OFF


def test_what_a_decision_says_never_changes_not_even_as_a_draft(current):
    """The content of a decision (grades, outcome, the inputs it rests on) is written once: a draft moves only
    to signed off or replaced. That is what lets its history rows leave the JSON content out."""
    d = one(current)
    assert d.status == DecisionStatus.DRAFT
    inputs = ExamDecision.objects.get(pk=d.pk).inputs
    for field, value in (("inputs", {"subjects": []}), ("findings", [{"code": "x"}]), ("final_grades", {"ne": 10}),
                         ("outcome", "FAILED"), ("cum_laude", not d.cum_laude)):
        changed = ExamDecision.objects.get(pk=d.pk)
        setattr(changed, field, value)
        with pytest.raises(DecisionContentFixed) as exc:
            changed.save()
        assert "verandert niet" in exc.value.messages[0]
        with pytest.raises(DecisionContentFixed):
            ExamDecision.objects.filter(pk=d.pk).update(**{field: value})
    stored = ExamDecision.objects.get(pk=d.pk)
    assert stored.inputs == inputs and stored.outcome == d.outcome and stored.status == DecisionStatus.DRAFT
    assert ExamDecision.history.filter(id=d.pk).count() == 1
    stored.save()  # saving what it says unchanged is no change
    stored.save(update_fields=["status"])


def test_an_incomplete_exam_cannot_be_signed_off(current):
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    d = one(current, dossier=False)
    with pytest.raises(services.DiplomaError) as exc:
        services.sign_off(by=secretary, decision=d)
    assert exc.value.code == "diploma_decision_incomplete"


def test_only_the_exam_office_signs_off(current):
    d = one(current)
    teacher = f.member(Role.TEACHER, school=current)
    other = f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory())
    for user in (teacher, other):
        with pytest.raises(Exception) as exc:
            services.sign_off(by=user, decision=d)
        assert exc.type.__name__ == "PermissionDenied"
    leader = f.member(Role.SCHOOL_LEADER, school=current)
    assert services.sign_off(by=leader, decision=d).status == DecisionStatus.SIGNED_OFF


def test_a_correction_is_a_new_decision_with_its_reason(current):
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    student = b.current_candidate(current, changes={"en": (4, 4)})
    d = decide(current)[student.pk]
    services.sign_off(by=secretary, decision=d)
    with pytest.raises(services.DiplomaError) as exc:  # nothing changed: a correction would change nothing
        services.correct_decision(by=secretary, decision=d, reason="Klacht over het cijfer Engels")
    assert exc.value.code == "diploma_correction_no_change"
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=student, code="en").update(school_exam=Decimal("6.0"),
                                                                    central_exam=Decimal("6.0"))
    with pytest.raises(services.DiplomaError):
        services.correct_decision(by=secretary, decision=d, reason="")
    new = services.correct_decision(by=secretary, decision=d, reason="Klacht over het cijfer Engels gegrond")
    assert new.outcome == "PASSED" and new.status == DecisionStatus.DRAFT
    assert new.supersedes_id == d.pk and new.correction_reason == "Klacht over het cijfer Engels gegrond"
    old = ExamDecision.objects.get(pk=d.pk)
    assert old.status == DecisionStatus.CORRECTED and old.outcome == "FAILED"
    assert old.signed_off_by == secretary  # what was signed off stays as it was
    with pytest.raises(services.DiplomaError) as exc:
        services.sign_off(by=secretary, decision=old)
    assert exc.value.code == "diploma_decision_superseded"
    assert services.sign_off(by=secretary, decision=new).status == DecisionStatus.SIGNED_OFF


def test_a_rerun_after_sign_off_makes_a_new_draft_and_keeps_the_signed_one(current):
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    student = b.current_candidate(current, changes={"en": (4, 4)})
    d = decide(current)[student.pk]
    services.sign_off(by=secretary, decision=d)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=student, code="en").update(central_exam=Decimal("8.0"))
    new = decide(current)[student.pk]
    assert new.pk != d.pk and new.status == DecisionStatus.DRAFT and new.supersedes_id == d.pk
    old = ExamDecision.objects.get(pk=d.pk)
    assert old.status == DecisionStatus.SUPERSEDED and old.outcome == d.outcome and old.signed_off_at


def test_current_decisions_are_the_ones_nothing_replaced(current):
    """run_decisions reads the current decisions from each candidate's own chain (through the student
    index, not NOT EXISTS over the whole table): the same as ExamDecision.objects.current(), after re-runs,
    a sign-off and its correction, and with decisions of another exam year and another school around."""
    secretary = f.member(Role.EXAM_SECRETARY, school=current)
    students = [b.current_candidate(current, changes={"en": (4, 4)} if i < 2 else None) for i in range(4)]
    first = decide(current)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=students[0], code="en").update(central_exam=Decimal("7.0"))
    decide(current)  # students[0]: replaced once
    services.sign_off(by=secretary, decision=first[students[1].pk])
    SubjectGrade.objects.filter(student=students[1], code="en").update(central_exam=Decimal("6.0"))
    services.correct_decision(by=secretary, decision=first[students[1].pk], reason="CE na herkansing ingevoerd")
    other_year = ExamDecision.objects.create(student=students[2], school_year=YEAR - 1, regulation_id="vmbo-huidig",
                                             outcome="FAILED")
    elsewhere = b.current_candidate(b.exam_school())
    decide(elsewhere.school)
    expected = {d.student_id: d for d in ExamDecision.objects.current().filter(
        student__in=[s.pk for s in students], school_year=YEAR)}
    got = services.current_decisions(students, YEAR)
    assert {k: d.pk for k, d in got.items()} == {k: d.pk for k, d in expected.items()}
    assert len(got) == 4 and got[students[0].pk].supersedes_id == first[students[0].pk].pk
    assert got[students[1].pk].correction_reason == "CE na herkansing ingevoerd"
    assert other_year.pk not in {d.pk for d in got.values()}
    assert got[students[3].pk].inputs == first[students[3].pk].inputs  # the full row, content and all
    assert services.current_decisions([elsewhere], YEAR)[elsewhere.pk].student_id == elsewhere.pk


# --- bounded queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_decide_issues_a_bounded_number_of_queries(current, n, django_assert_max_num_queries):
    """The count must not grow with candidates: the same ceiling for 5 and for 50."""
    for i in range(n):
        b.current_candidate(current, changes={"en": (4, 4)} if i % 7 == 0 else None)
    with django_assert_max_num_queries(20):
        report = services.run_decisions(by=None, school=current, school_year=YEAR)
    assert len(report.created) == n
    previous = {line.student.pk: line.decision.pk for line in report.lines}
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(code="wi").update(central_exam=Decimal("7.0"))
    with django_assert_max_num_queries(20):  # a re-run: every decision replaced, history kept
        again = services.run_decisions(by=None, school=current, school_year=YEAR)
    assert len(again.created) == n
    assert {line.decision.supersedes_id for line in again.lines} == set(previous.values())


def test_candidate_inputs_is_bulk(current, django_assert_num_queries):
    students = [b.current_candidate(current) for _ in range(6)]
    with django_assert_num_queries(6):
        inputs = engine.candidate_inputs(students, YEAR)
    assert {ci.regulation.id for ci in inputs.values()} == {"vmbo-huidig"}


def test_the_command_line(current, capsys):
    b.current_candidate(current)
    b.current_candidate(current, changes={"ne": (3, 3)})
    call_command("exam", "decide", "--school", current.brin, "--school-year", str(YEAR), "--verbose")
    out = capsys.readouterr().out
    assert "2 kandidaten: 1 geslaagd, 1 afgewezen" in out
    assert "EXAM_NEDERLANDS_TOO_LOW" in out and "databasequeries" in out
    call_command("exam", "decide", "--school", current.brin, "--school-year", str(YEAR), "--dry-run")
    assert "0 nieuw besluit, 2 ongewijzigd" in capsys.readouterr().out
    assert ExamDecision.objects.count() == 2


def test_the_national_run_decides_every_school(current, modular, capsys):
    """`maatwerk exam decide --all`: every school, each in its own run (here in this process: the test's
    transaction is not visible to other processes)."""
    b.current_candidate(current)
    b.current_candidate(current, changes={"ne": (3, 3)})
    b.current_candidate(modular)  # without modules: incomplete under the maatwerkdiploma
    call_command("exam", "decide", "--all", "--school-year", str(YEAR), "--workers", "1")
    out = capsys.readouterr().out
    assert "2 scholen" in out and "3 kandidaten: 1 geslaagd, 1 afgewezen, 1 nog niet compleet; 3 nieuw besluit" in out
    assert ExamDecision.objects.filter(student__school=modular).count() == 1
    call_command("exam", "decide", "--all", "--school-year", str(YEAR), "--workers", "1")
    assert "0 nieuw besluit, 3 ongewijzigd" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("exam", "decide", "--all", "--school", current.brin, "--school-year", str(YEAR))
    with pytest.raises(CommandError):
        call_command("exam", "decide", "--school-year", str(YEAR))
