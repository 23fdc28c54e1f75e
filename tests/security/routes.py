"""Every route of Maatwerk, from the URL resolver and the OpenAPI schema, keyed as in accounts/policy.py.

* pages: every URL pattern of `get_resolver()`, except the Django admin under /beheer/ (checked on its
  own: superusers only) and DRF's format-suffix duplicates (`.json` variants of the same views);
* API operations: every (method, path) of the schema that drf-spectacular generates for /api/schema/.
API URL patterns of the resolver must each be reachable from a schema path, so an endpoint that the
schema does not show cannot escape the matrix either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from maatwerk.accounts import policy
from maatwerk.accounts.policy import page_key

API_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class PageRoute:
    key: str
    route: str          # the pattern as text, for messages
    name: str
    api: bool           # under /api/ (a DRF view: compare with the schema)


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name


def _is_format_suffix(route: str) -> bool:
    return "drf_format_suffix" in route or "(?P<format>" in route


def _plain(route: str) -> str:
    """A readable path for a route: regex anchors removed."""
    return re.sub(r"[\^$]", "", route)


@cache
def page_routes() -> tuple[PageRoute, ...]:
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("beheer/") or _is_format_suffix(route):
            continue
        plain = _plain(route)
        out.append(PageRoute(key=page_key(name, plain), route=plain, name=name, api=plain.startswith("api/v1/")))
    return tuple(out)


@cache
def api_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@cache
def api_operations() -> tuple[str, ...]:
    """"METHOD /api/v1/path/{param}/" for every operation of the schema."""
    ops = []
    for path, item in api_schema()["paths"].items():
        for method in API_METHODS:
            if method in item:
                ops.append(f"{method.upper()} {path}")
    return tuple(sorted(ops))


def schema_url_names() -> set[str]:
    """The URL names the schema's paths resolve to (every path parameter filled with 1)."""
    names = set()
    for path in api_schema()["paths"]:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        names.add(match.view_name)
    return names


# --- URLs for the objects of a world ------------------------------------------------------------------


def resolve_target(targets: dict, spec: str):
    """A policy argument: "=literal", "name" (the target's pk) or "name.attr"."""
    if spec.startswith("="):
        return spec[1:]
    name, _, attr = spec.partition(".")
    obj = targets[name]
    return getattr(obj, attr) if attr else (obj.pk if hasattr(obj, "pk") else obj)


def _query(targets: dict, query) -> str:
    """?k=v&...; a target that is a list repeats its key (?s=1&s=2)."""
    pairs = []
    for key, spec in query.items():
        value = resolve_target(targets, spec)
        pairs += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return ("?" + "&".join(f"{k}={v}" for k, v in pairs)) if pairs else ""


def page_url(key: str, targets: dict) -> str:
    """The URL of a page of policy.PAGES about the given targets."""
    entry = policy.PAGES[key]
    route = {r.key: r for r in page_routes()}[key]
    if route.name == "api-root":
        return "/" + route.route
    url = reverse(route.name, kwargs={k: resolve_target(targets, v) for k, v in entry.args.items()})
    return url + _query(targets, entry.query)


def api_url(key: str, targets: dict) -> str:
    """The URL of an API operation of policy.API ("METHOD /path/{param}/") about the given targets."""
    op = policy.API[key]
    url = key.split(" ", 1)[1]
    for name, spec in op.args.items():
        url = url.replace("{" + name + "}", str(resolve_target(targets, spec)))
    return url + _query(targets, op.query)
