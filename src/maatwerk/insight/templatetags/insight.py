from django import template

from maatwerk.insight.labels import code_label as _code_label

register = template.Library()


@register.filter
def code_label(code: str) -> str:
    return _code_label(code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
