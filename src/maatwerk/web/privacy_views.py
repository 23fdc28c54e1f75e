"""Inzage (AVG art. 15): all data about one student as JSON or PDF, for the schoolleider of the
student's school, the student and their parent."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import get_visible_or_404, roles_of

from .privacy import collect_student_data


def _student_for(request, pk):
    from maatwerk.students.models import Student

    student = get_visible_or_404(request.user, Student, pk=pk)
    rs = roles_of(request.user)
    if not (request.user.is_superuser or rs.has(Role.SCHOOL_LEADER, school_id=student.school_id)
            or student.pk in rs.students()):
        raise PermissionDenied("Alleen de schoolleider, de leerling zelf of een ouder kan alle gegevens opvragen.")
    return student


@login_required
@require_safe
def export_json(request, pk):
    student = _student_for(request, pk)
    data = collect_student_data(student)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gegevens-{student.student_number}.json"'
    return response


@login_required
@require_safe
def export_pdf(request, pk):
    from weasyprint import HTML

    student = _student_for(request, pk)
    data = collect_student_data(student)
    html = render_to_string("web/privacy_export.html", {"data": data, "student": student})
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gegevens-{student.student_number}.pdf"'
    return response
