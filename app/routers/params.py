"""Query and path parameters, filters and result helpers that several routers share, kept
here rather than in one resource's router so the others need not import that router."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, ParamSpec

from fastapi import Depends, Query, Request
from pydantic import WithJsonSchema

from app.models import EventOut
from app.problems import Problem
from graph.network import ALL_MODALITIES, MODALITIES, Filters, modality_name, parse_filters
from ontology.namespaces import ID

# The patterns below are declared in the OpenAPI document (json_schema_extra, WithJsonSchema)
# and enforced by the code that reads the values (`minted`, graph.network's Filters), which
# answers a mismatch with a 400 naming what it accepts, not pydantic's 422.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,200}$"
SLUG = re.compile(SLUG_PATTERN)
P = ParamSpec("P")


# a document filter: its id or its minted IRI (what `minted` accepts), as the schema shows it
def id_pattern(kind: str, optional: bool = True) -> str:
    """What `minted(kind, ...)` reads: an id or the minted IRI of that kind; for an
    `optional` filter also nothing (`?document=`, as a form sends an empty field: no filter)."""
    one = rf"(?:https://evkg\.org/id/{kind}/)?[A-Za-z0-9][A-Za-z0-9._~-]{{0,200}}"
    return f"^(?:{one})?$" if optional else f"^{one}$"


DOCUMENT_PATTERN = id_pattern("document")
SLUG_SCHEMA: dict[str, Any] = {"pattern": SLUG_PATTERN}
DOCUMENT_SCHEMA: dict[str, Any] = {"pattern": DOCUMENT_PATTERN}


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


# what graph.network.parse_modality reads: names in any case, comma-separated, spaces around
_MODALITY_NAME = "|".join(_any_case(m) for m in (*MODALITIES, ALL_MODALITIES))
MODALITY_PATTERN = f"^ *(?:{_MODALITY_NAME})? *(?:, *(?:{_MODALITY_NAME})? *)*$"


def minted(kind: str, key: str) -> str:
    """The IRI of a minted resource from its id (slug), or its full IRI; 400 otherwise."""
    if key.startswith(f"{ID}{kind}/") and SLUG.match(key.rsplit("/", 1)[-1]):
        return key
    if not SLUG.match(key):
        raise Problem(400, f"{key!r} is not a valid {kind} id")
    return f"{ID}{kind}/{key}"


def filters_of(*, document: str | None = None, **given: Any) -> Filters:
    """`parsed_filters` of a route's filters, `document` an id or a minted IRI."""
    return parsed_filters(document=minted("document", document) if document else None, **given)


def _answered(parse: Callable[P, Filters]) -> Callable[P, Filters]:
    """`parse`, its ValueError (a bad value, saying what is accepted) answered with a 400."""

    @wraps(parse)
    def parsed(*args: P.args, **kwargs: P.kwargs) -> Filters:
        try:
            return parse(*args, **kwargs)
        except ValueError as exc:
            raise Problem(400, str(exc)) from exc

    return parsed


# the shared event filters of a route, read by the one parser (`graph.network.parse_filters`,
# which reads the command line's too), its parameters as it declares them
parsed_filters = _answered(parse_filters)


# the one query parameter every route that counts or lists events takes (graph.network's
# Filters reads it, so a bad value is a 400 problem naming the accepted ones)
ModalityQ = Annotated[
    list[Annotated[str, WithJsonSchema({"type": "string", "pattern": MODALITY_PATTERN})]] | None,
    Query(
        max_length=20,
        description="which events count, by how the text puts them: "
        f"{', '.join(MODALITIES)}; several comma-separated (or the parameter repeated), or "
        f"`{ALL_MODALITIES}` for every event. Default asserted: what the text reports as having "
        "happened (an event that states no modality counts as asserted).",
        examples=[["asserted"], ["negated,claimed"], [ALL_MODALITIES]],
    ),
]


def modality_filters(modality: ModalityQ = None) -> Filters:
    """The filters of a route whose only filter is the modality."""
    return filters_of(modality=modality)


ModalityFilters = Annotated[Filters, Depends(modality_filters)]


def event_out(row: dict) -> EventOut:
    code = str(row["type"]).rsplit("/", 1)[-1]
    return EventOut(
        iri=row["e"],
        label=row.get("label"),
        code=code,
        source=row.get("s"),
        target=row.get("t"),
        date=str(row["date"]) if row.get("date") is not None else None,
        goldstein=row.get("gold"),
        quad_class=row.get("quad"),
        place=row.get("place"),
        document=row.get("doc"),
        sentence=row.get("sentence"),
        trigger=row.get("trigger"),
        modality=modality_name(row.get("modality")),
        happening=row.get("h") or (row["e"] if "reports" not in row else None),
        reports=int(row["reports"]) if row.get("reports") is not None else None,
    )


def dedupe(rows: list[dict]) -> list[EventOut]:
    seen: dict[str, EventOut] = {}
    for row in rows:
        seen.setdefault(row["e"], event_out(row))
    return list(seen.values())


def next_page(request: Request, limit: int, offset: int, got: int) -> str | None:
    if got < limit:
        return None
    return str(request.url.include_query_params(offset=offset + limit, limit=limit))


DateQ = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", examples=["2020-01"])]
