"""OpenAPI declarations of what a route answers besides its JSON 200: the problem-details
errors it can give (RFC 9457, `application/problem+json`) and the media types of bodies it
negotiates. Routes name their statuses here so the spec and the code say the same thing,
and clients (and schemathesis) can rely on every documented status and content type."""

from __future__ import annotations

from typing import Any

from app.models import ABSOLUTE_IRI, ProblemDetails
from app.problems import MEDIA

REF = "#/components/schemas/ProblemDetails"
WHY = {
    400: "Bad request: a malformed parameter, id, IRI, SPARQL text or body, or an update "
         "the store refuses as written (DROP of a missing graph)",
    401: "A write without `Authorization: Bearer <token>`",
    403: "Forbidden: the service is read-only, the token is wrong, or the SPARQL operation "
         "is not allowed (SERVICE, LOAD)",
    404: "Not found",
    405: "The default graph (the union of all graphs) cannot be written",
    406: "None of the media types in `Accept` fits this kind of result",
    413: "The request body is too large",
    415: "The request body's media type is not one this route reads",
    422: "A parameter or body field fails validation",
    503: "The query ran past the time limit (`Retry-After` says when to retry) or the store "
         "failed",
}
# an IRI the store's parsers accept (app.models.check_absolute_iri; a 400 otherwise)
IRI_SCHEMA: dict[str, Any] = {"pattern": ABSOLUTE_IRI}
# a filter's empty value (`?document=`, as a form sends an empty field) is no filter
OPTIONAL_IRI_SCHEMA: dict[str, Any] = {"pattern": f"^(?:{ABSOLUTE_IRI[1:-1]})?$"}
SPARQL_RESULTS = ("application/sparql-results+json", "application/sparql-results+xml",
                  "text/csv", "text/tab-separated-values")
RDF_GRAPHS = ("text/turtle", "application/n-triples", "application/ld+json",
              "application/rdf+xml", "application/trig")


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` entries for these error statuses, each a problem document."""
    return {code: {"description": WHY[code],
                   "content": {MEDIA: {"schema": {"$ref": REF}}}} for code in codes}


SPARQL_JSON = {"type": "object", "required": ["head"],
               "properties": {"head": {"type": "object"}, "results": {"type": "object"},
                              "boolean": {"type": "boolean"}}}


def body_schema(media: str) -> dict[str, Any]:
    """What a body of `media` is, as far as JSON Schema can say: JSON ones are parsed, so a
    text schema would be wrong for them; the rest are text."""
    if media == "application/sparql-results+json":
        return SPARQL_JSON
    if media == "application/json" or media.endswith("+json"):
        return {}
    return {"type": "string"}


def bodies(*media: str, status: int = 200,
           description: str = "Successful Response") -> dict[int | str, dict[str, Any]]:
    """A success response that comes in any of `media` (chosen by `Accept` or a parameter)."""
    return {status: {"description": description,
                     "content": {m: {"schema": body_schema(m)} for m in media}}}


def merge(*parts: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Several `responses` dicts as one (later ones add to earlier ones' statuses)."""
    out: dict[int | str, dict[str, Any]] = {}
    for part in parts:
        for status, entry in part.items():
            if status in out:
                content = {**out[status].get("content", {}), **entry.get("content", {})}
                out[status] = {**out[status], **entry, "content": content}
            else:
                out[status] = entry
    return out


def finish(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem-details schema the routes refer to, and drop FastAPI's own 422 shape
    (never sent: validation errors are problem documents too)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ProblemDetails"] = ProblemDetails.model_json_schema()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422")
            if answer and MEDIA not in answer.get("content", {}):
                operation["responses"]["422"] = problems(422)[422]
    used = str(schema["paths"])
    for name in ("HTTPValidationError", "ValidationError"):
        if name not in used:
            components.pop(name, None)
    return schema
