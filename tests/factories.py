"""factory_boy factories for the tests."""

from __future__ import annotations

import factory

from maatwerk.accounts.models import Membership, Platform, Role, User
from maatwerk.domain import Leerweg
from maatwerk.schools.models import Partner, School, SchoolLocation
from maatwerk.students.models import Student


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    first_name = factory.Iterator(["Sanne", "Daan", "Fatima", "Yusuf", "Lotte"])
    last_name = factory.Iterator(["Jansen", "Bakker", "El Amrani", "Kaya", "Visser"])
    password = factory.django.Password("geheim-wachtwoord-1")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"platform{n}")
    name = factory.LazyAttribute(lambda o: f"Platform {o.code.upper()}")


def _brin(n: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    return f"{n % 100:02d}{letters[(n // 100) % len(letters)]}{letters[n % len(letters)]}"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("brin",)

    brin = factory.Sequence(lambda n: _brin(n + 10))
    name = factory.Sequence(lambda n: f"Testschool {n}")
    city = "Utrecht"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLocation

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.LazyAttribute(lambda o: f"{o.school.name} vestiging {o.number}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Partnerbedrijf {n}")
    offers_assessment = True


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    student_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Iterator(["Noah", "Emma", "Bilal", "Aylin", "Sem"])
    last_name = factory.Iterator(["de Vries", "Smit", "Öztürk", "Nguyen", "Bos"])
    leerweg = Leerweg.KB
    year_level = 3
    cohort = 2025


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER
    school = factory.SubFactory(SchoolFactory)


def member(role: str, *, school=None, student=None, platform=None, partner=None, user=None) -> User:
    """A user with one membership of `role` (and the organisation that role needs)."""
    user = user or UserFactory()
    Membership.objects.create(user=user, role=role, school=school, student=student, platform=platform,
                              partner=partner)
    return user


# --- catalog -------------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from maatwerk.catalog.models import (  # noqa: E402
    MboQualification,
    Module,
    ModuleObjective,
    ModuleVersion,
    Profiel,
    unfrozen,
)


def profiel(code: str = "ZW") -> Profiel:
    """The profielen are reference data loaded by a migration."""
    return Profiel.objects.get(code=code)


class MboQualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MboQualification
        django_get_or_create = ("crebo",)

    crebo = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Medewerker test {n}")
    level = 2


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-K-{n:03d}")


class ModuleVersionFactory(factory.django.DjangoModelFactory):
    """A published version (the common case); pass status="concept" for a draft. The module's
    current_version follows the newest published version."""

    class Meta:
        model = ModuleVersion
        skip_postgeneration_save = True

    module = factory.SubFactory(ModuleFactory)
    version = factory.LazyAttribute(lambda o: (o.module.versions.count() + 1))
    status = "published"
    title = factory.Sequence(lambda n: f"Testmodule {n}")
    summary = "Een module om mee te testen."
    module_type = "INTRODUCTORY"
    units = 1
    valid_from = 2024
    for_bb = True
    for_kb = True
    for_gl = True
    for_tl = False

    @factory.post_generation
    def profielen(self, create, extracted, **kwargs):
        if create:
            with unfrozen():  # a published version is frozen: the factory builds it in one go
                self.profielen.set(extracted if extracted is not None else [profiel("ZW")])

    @factory.post_generation
    def make_current(self, create, extracted, **kwargs):
        if create and self.status == "published" and extracted is not False:
            Module.objects.filter(pk=self.module_id).update(current_version=self)
            self.module.current_version = self


class ModuleObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleObjective

    version = factory.SubFactory(ModuleVersionFactory)
    code = factory.Sequence(lambda n: f"E{n}")
    text = "De kandidaat kan een taak uitvoeren."
    order = factory.Sequence(int)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with unfrozen():  # objectives of a published version are frozen with it
            return super()._create(model_class, *args, **kwargs)


# --- schools -------------------------------------------------------------------------------------

from maatwerk.schools.models import (  # noqa: E402
    Licence,
    Offering,
    Package,
    PackageModule,
    SchoolPolicy,
    TeachingGroup,
)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    school = factory.SubFactory(SchoolFactory)
    profiel = factory.LazyFunction(lambda: profiel("ZW"))
    from_year = 2020


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    school = factory.SubFactory(SchoolFactory)
    module_version = factory.SubFactory(ModuleVersionFactory)
    school_year = 2025
    for_bb = True
    for_kb = True
    for_gl = True


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Pakket {n}")
    kind = "broad"
    school_year = 2025


class PackageModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageModule

    package = factory.SubFactory(PackageFactory)
    module = factory.SubFactory(ModuleFactory)


class SchoolPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolPolicy
        django_get_or_create = ("school",)

    school = factory.SubFactory(SchoolFactory)


class TeachingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroup

    school = factory.SubFactory(SchoolFactory)
    offering = factory.SubFactory(OfferingFactory, school=factory.SelfAttribute("..school"))
    name = factory.Sequence(lambda n: f"groep-{n}")
    period = 1


# --- students ------------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from maatwerk.students.models import (  # noqa: E402
    CareerActivity,
    CareerConversation,
    ConversationReflection,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("student",)

    student = factory.SubFactory(StudentFactory)
    regulation_id = "spv-modulair"


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    programme = factory.SubFactory(ProgrammeFactory)
    module_version = factory.SubFactory(ModuleVersionFactory)
    school_year = 2025
    year_level = 3


class ProgrammeRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRevision

    programme = factory.SubFactory(ProgrammeFactory)
    number = 1
    status = "approved"


class CareerActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerActivity

    student = factory.SubFactory(StudentFactory)
    date = _dt.date(2025, 10, 1)
    kind = "company_visit"
    title = "Bezoek aan een zorgcentrum"
    goals = "Kijken of werken in de zorg bij mij past."
    results = "Ik heb een dag meegelopen."
    evaluation = "Het was leuk, maar ik mis het regelen en verkopen."
    follow_up = "Snuffelstage bij een winkel."
    work_exploration = True


class CareerConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerConversation

    student = factory.SubFactory(StudentFactory)
    date = _dt.date(2025, 11, 1)
    participants = "leerling, mentor"
    agreements = "Kennismaken met economie en ondernemen."


class ConversationReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversationReflection

    conversation = factory.SubFactory(CareerConversationFactory)
    competency = "motives"
    text = "Ik wil mensen helpen, maar liever in een winkel."


# --- assessment ----------------------------------------------------------------------------------

from maatwerk.assessment.models import (  # noqa: E402
    AssessorAssignment,
    KernObservation,
    ModuleResult,
    Pta,
    PtaItem,
    Result,
    Rubric,
    RubricCriterion,
    RubricLevel,
    SubjectGrade,
)
from maatwerk.kern.models import KernObjective  # noqa: E402


class PtaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pta

    school = factory.SubFactory(SchoolFactory)
    cohort = 2025
    exam_year = 2026
    title = factory.Sequence(lambda n: f"PTA cohort 2025 ({n})")
    regulation_id = "spv-modulair"
    for_bb = True
    for_kb = True
    for_gl = True


class PtaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PtaItem

    pta = factory.SubFactory(PtaFactory)
    code = factory.Sequence(lambda n: f"SE{n:02d}")
    title = "Praktijkopdracht"
    form = "practical"
    weight = Decimal("1")


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    item = factory.SubFactory(PtaItemFactory)


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    rubric = factory.SubFactory(RubricFactory)
    text = "Werkt veilig"


class RubricLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricLevel

    criterion = factory.SubFactory(RubricCriterionFactory)
    label = "voldoende"
    points = 2
    descriptor = "Werkt volgens de voorschriften."


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    student = factory.SubFactory(StudentFactory)
    item = factory.SubFactory(PtaItemFactory)
    attempt = 1
    grade = Decimal("6.5")


class AssessorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessorAssignment

    assessor = factory.SubFactory(UserFactory)
    item = factory.SubFactory(PtaItemFactory)
    student = factory.SubFactory(StudentFactory)


class KernObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KernObservation

    student = factory.SubFactory(StudentFactory)
    objective = factory.LazyFunction(lambda: KernObjective.objects.order_by("pk").first())
    level = "developing"
    observed_on = _dt.date(2025, 12, 1)


class ModuleResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleResult

    student = factory.SubFactory(StudentFactory)
    module_version = factory.SubFactory(ModuleVersionFactory)
    pta = factory.SubFactory(PtaFactory, school=factory.SelfAttribute("..student.school"))
    outcome = "PASSED"
    grade = Decimal("7.0")
    final_grade = 7
    level = "KB"


class SubjectGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectGrade

    student = factory.SubFactory(StudentFactory)
    school_year = 2026
    code = "ne"
    name = "Nederlandse taal"
    school_exam = Decimal("6.0")
    central_exam = Decimal("6.0")


# --- diploma -------------------------------------------------------------------------------------

from maatwerk.diploma.models import ContinuousRoute, ExamDecision  # noqa: E402


class ExamDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamDecision

    student = factory.SubFactory(StudentFactory)
    school_year = 2026
    regulation_id = "vmbo-huidig"
    outcome = "PASSED"


class ContinuousRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContinuousRoute

    school = factory.SubFactory(SchoolFactory)
    mbo_college = factory.SubFactory(PartnerFactory, school=factory.SelfAttribute("..school"), kind="mbo_college")
    qualification = factory.SubFactory(MboQualificationFactory)
    kind = "continuous"
    name = factory.Sequence(lambda n: f"Route {n}")
