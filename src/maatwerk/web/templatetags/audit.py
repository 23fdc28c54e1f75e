from django import template

from maatwerk.web.audit import history_url

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_url(context, obj):
    """{% audit_url obj as url %}{% if url %}<a href="{{ url }}">Geschiedenis</a>{% endif %}"""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return history_url(request.user, obj)
