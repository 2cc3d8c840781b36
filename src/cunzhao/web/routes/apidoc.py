"""``/api``: the JSON API described for people, rendered on the server from the app's own
OpenAPI schema (no script, nothing from a CDN), with a ``curl`` example per endpoint.

Each endpoint lists its parameters (where, type, required, meaning) and the fields of its
answer; the example fills the path parameters and a telling query parameter with sample
values and URL-encodes them with ``--data-urlencode``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)

# sample values of the examples, by parameter name (path parameters, then a query parameter)
SAMPLES = {"doc_id": "1", "name": "百度", "fmt": "csv", "table": "cases", "q": "约谈",
           "action": "summon", "target": "百度", "group": "province", "role": "target"}
EXAMPLE_QUERY = {"/api/search": "q", "/api/facets": "q", "/api/documents": "tag",
                 "/api/stats": "action", "/api/entities": "role",
                 "/download/search.{fmt}": "q", "/download/{table}.{fmt}": "target"}
SAMPLE_TAG = "立此存照"


@dataclass(frozen=True)
class Param:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    params: tuple[Param, ...]
    fields: tuple[str, ...]
    curl: str


def type_of(schema: dict[str, Any]) -> str:
    """A parameter's type as read by people: ``integer (1–100)``, ``csv | jsonl``, ``date``."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    shown = []
    for s in options:
        if "enum" in s:
            shown.append(" | ".join(map(str, s["enum"])))
            continue
        text = s.get("format") or s.get("type") or "value"
        if "minimum" in s and "maximum" in s:
            text += f" ({s['minimum']}–{s['maximum']})"
        shown.append(text)
    return " or ".join(shown) or "value"


def fields_of(schema: dict[str, Any], components: dict[str, Any]) -> tuple[str, ...]:
    """The top-level fields of an answer (a ``$ref`` to a component, resolved)."""
    ref = schema.get("$ref", "")
    found = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    return tuple(found.get("properties", {}))


def curl_example(base: str, path: str, params: tuple[Param, ...]) -> str:
    """``curl`` with the sample path parameters (percent-encoded) and, where the endpoint has
    a telling query parameter, ``--get --data-urlencode 'name=value'``."""
    url = base + path
    for p in params:
        if p.where == "path":
            url = url.replace("{" + p.name + "}", quote(SAMPLES.get(p.name, "1"), safe=""))
    name = EXAMPLE_QUERY.get(path)
    words = ["curl", *(["-OJ"] if path.startswith("/download/") else [])]  # -J: its file name
    if name:
        value = SAMPLE_TAG if name == "tag" else SAMPLES.get(name, "")
        return " ".join([*words, "--get", _quoted(url), "--data-urlencode",
                         _quoted(f"{name}={value}")])
    return " ".join([*words, _quoted(url)])


def _quoted(word: str) -> str:
    """A shell word in single quotes."""
    return "'" + word.replace("'", "'\\''") + "'"


def endpoints(schema: dict[str, Any], base: str) -> list[Endpoint]:
    """Every operation of the OpenAPI ``schema``, in its order."""
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            params = tuple(
                Param(p["name"], p["in"], type_of(p.get("schema", {})), bool(p.get("required")),
                      p.get("description") or p.get("schema", {}).get("description", ""))
                for p in op.get("parameters", []))
            answer = op.get("responses", {}).get("200", {}).get("content", {})
            json_schema = answer.get("application/json", {}).get("schema", {})
            found.append(Endpoint(method.upper(), path, op.get("summary", ""), params,
                                  fields_of(json_schema, components),
                                  curl_example(base, path, params)))
    return found


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    base = str(request.base_url).rstrip("/")
    return render(request, "api.html", info=schema.get("info", {}),
                  endpoints=endpoints(schema, base))
