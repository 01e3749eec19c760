"""Pydantic models at the edge: what the REST resources accept and return."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

# An absolute IRI as RFC 3987 has it, in a pattern the OpenAPI document shows and the model
# enforces, so that what it admits the store's IRI parser accepts too: a scheme, then an
# authority (user info, a host name, a port of digits; no IP literal) or a path, a query and
# a fragment, each of unreserved characters, sub-delimiters, %XX escapes and the Basic
# Multilingual Plane's non-ASCII characters past the C1 controls (no private use).
_IRI_CHAR = "A-Za-z0-9\\-._~!$&'()*+,;=\\u00a0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef"
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_IRI_CHAR}:@]|{_PCT})"
_AUTHORITY = f"(?:(?:[{_IRI_CHAR}:]|{_PCT})*@)?(?:[{_IRI_CHAR}]|{_PCT})*(?::[0-9]*)?"
ABSOLUTE_IRI = (
    f"^[A-Za-z][A-Za-z0-9+.\\-]*:(?://{_AUTHORITY}(?:/(?:{_PCHAR}|/)*)?"
    f"|/?(?:{_PCHAR}(?:{_PCHAR}|/)*)?)(?:\\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)

_ABSOLUTE_IRI = re.compile(ABSOLUTE_IRI)


def check_absolute_iri(value: str) -> str:
    """`value` if it matches ABSOLUTE_IRI (what the store's IRI parser accepts), else a
    ValueError: for IRIs the store is handed as names (graphs, datasets)."""
    if not _ABSOLUTE_IRI.fullmatch(value):
        raise ValueError(f"not an absolute IRI (RFC 3987): {value!r}")
    return value


# Text that holds something: a character other than white space (as Python's str.strip and
# JSON Schema's \s count it, both) and no NUL (binary data, not text). Shown in the OpenAPI
# document and enforced by the routes (`has_text`) with the same answer for every body.
_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SOME_TEXT = rf"^[^\x00]*[^{_SPACE}\x00][^\x00]*$"
_BLANK = re.compile(f"[{_SPACE}]*")


def has_text(text: str) -> bool:
    """Whether `text` matches SOME_TEXT (checked without backtracking)."""
    return "\x00" not in text and _BLANK.fullmatch(text) is None


def _iso_date_text(value: Any) -> Any:
    """A date comes as YYYY-MM-DD text, as its schema says (not a number of seconds)."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("a date is YYYY-MM-DD text")


class Health(BaseModel):
    status: str
    store: str
    isolated: bool = Field(description="SPARQL runs in killable worker processes")
    writable: bool = Field(description="a write token is configured")
    warm: Literal["off", "warming", "ready", "failed"] = Field(
        description="the actor network and search index built at start (EVKG_WARM_NETWORK): "
        "until ready, the first neighbourhood or search waits for them"
    )


class Stats(BaseModel):
    documents: int
    events: int = Field(description="document events: reports, as each document gives them")
    happenings: int = Field(description="real-world events: the reports of one count once")
    actors: int
    triples: int
    graphs: int


class Page(BaseModel):
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if there may be one")


class ActorSummary(BaseModel):
    id: str
    iri: str
    label: str
    events: int = Field(description="happenings: the reports of one real-world event count once")
    reports: int = Field(description="document events reporting them")


class ActorPage(Page):
    items: list[ActorSummary]


class Related(BaseModel):
    id: str
    iri: str
    label: str | None


class ActorDetail(BaseModel):
    id: str
    iri: str
    label: str | None
    aliases: list[str]
    facts: dict[str, list[Any]]
    parts: list[Related]
    part_of: list[Related]
    backers: list[Related]
    backs: list[Related]
    counts_by_root: dict[str, dict[str, int]] = Field(
        description="role (source/target) -> CAMEO root -> happenings"
    )
    counts_by_quad: dict[str, dict[str, int]] = Field(
        description="role (source/target) -> quad class -> happenings"
    )
    reports_by_root: dict[str, dict[str, int]] = Field(
        description="role (source/target) -> CAMEO root -> reports (document events)"
    )


class Node(BaseModel):
    id: str
    label: str
    events: int
    hop: int | None = None


MODALITY_FIELD = Field(
    "asserted", description="how the text puts the event: asserted (reported as having "
    "happened), negated, hypothetical, intended, claimed or denied; an event that states "
    "none is asserted (evkg:modality, ontology/evkg.ttl's evkg:ModalityScheme)",
    examples=["asserted"])


class EdgeEvent(BaseModel):
    iri: str
    code: str
    date: str | None
    goldstein: float
    quad_class: int | None = None
    sentence: str | None = None
    document: str | None = None
    modality: str = MODALITY_FIELD
    happening: str | None = Field(None, description="the happening the event reports")


class Edge(BaseModel):
    source: str
    target: str
    count: int = Field(description="happenings: the reports of one real-world event count once")
    reports: int = Field(description="document events (reports) behind the edge")
    goldstein: float
    first: str | None
    last: str | None
    events: list[EdgeEvent] = Field([], description="the events behind the edge, oldest "
                                    "first: its latest `events_per_edge` when it has more")
    events_truncated: bool = Field(False, description="the edge has more events than listed")


class Network(BaseModel):
    root: str | None = None
    hops: int | None = None
    node_cap: int | None = None
    capped: bool = Field(False, description="the node cap was hit; more actors lie within hops")
    events_per_edge: int | None = Field(None, description="most events listed per edge")
    nodes: list[Node]
    edges: list[Edge]


class PageNode(BaseModel):
    id: str
    label: str
    kind: str = Field(description="actor kind (colours the node)")
    weight: int = Field(description="events of the actor's edges shown")
    x: float
    y: float
    country: str | None = Field(None, description="ISO 3166 alpha-3 (shapes the node); "
                                "left out when unknown")
    sector: str | None = None
    aliases: list[str] = []


class PageNetwork(BaseModel):
    """The page's compact node-link shape (`compact=true`), as `/network?compact=true`:
    each edge a row of `edge_fields` whose source and target index `nodes`; no events."""

    directed: bool
    meta: dict[str, Any] = Field(description="`actor`, `capped`, counts of nodes and edges")
    nodes: list[PageNode]
    edge_fields: list[str] = Field(examples=[["source", "target", "count", "goldstein",
                                               "quad"]])
    edges: list[list[Any]]


class Reported(BaseModel):
    """What every listed event or happening says first: its IRI, label, CAMEO code, actors
    and date."""

    iri: str
    label: str | None
    code: str
    source: str | None
    target: str | None
    date: str | None


class EventOut(Reported):
    goldstein: float | None
    quad_class: int | None
    place: str | None
    modality: str = MODALITY_FIELD
    document: str | None
    sentence: str | None
    trigger: str | None
    happening: str | None = Field(None, description="level=report: the happening the event "
                                  "reports (itself until it is clustered)")
    reports: int | None = Field(None, description="level=happening: how many of the listed "
                                "events report it")


class EventPage(Page):
    level: str = Field("report", description="report: document events; happening: the "
                       "real-world events they report")
    items: list[EventOut]


class Placed(Reported):
    """A happening or one of its reports: where it happened follows its date."""

    place: str | None


class HappeningReport(Placed):
    modality: str = MODALITY_FIELD
    sentence: str | None
    trigger: str | None
    document: str
    title: str | None
    matched_on: str | None = Field(description="why the report is in the happening: the "
                                   "features it agreed on with another report")


class HappeningOut(Placed):
    modality: str = Field(description="the strongest of its reports': asserted if any "
                          "asserts it; claimed when it is only alleged")
    alleged: bool = Field(description="reported only as claimed or alleged")
    disagreements: list[str] = Field(description="'feature value' for every value its "
                                     "reports give where they disagree")
    reports: list[HappeningReport]


class TimelinePoint(BaseModel):
    month: str
    direction: str = Field(description="'ab' (a acts on b) or 'ba'")
    count: int = Field(description="happenings (dated by their earliest report)")
    reports: int = Field(description="their reports")
    goldstein: float


class Relation(BaseModel):
    a: str
    b: str
    a_to_b: list[EventOut]
    b_to_a: list[EventOut]
    timeline: list[TimelinePoint]


class Paths(BaseModel):
    source: str
    target: str
    max_hops: int
    paths: list[list[str]]


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000, pattern=SOME_TEXT,
                      examples=["Iran fired missiles at a US base in Iraq on 8 January 2020."])
    title: str | None = Field(None, max_length=1000)
    published: Annotated[date | None, BeforeValidator(_iso_date_text)] = None
    url: str | None = Field(
        None, max_length=2000, pattern=ABSOLUTE_IRI,
        description="the document's address: an absolute IRI (RFC 3987: a scheme, then "
        "an authority or a path, a query and a fragment; % only before two hex digits, one "
        "#, no spaces, controls, quotes, brackets, |, ^, ` or backslashes)",
        examples=["https://example.org/2020/01/08/strike"])


class DocumentCreated(BaseModel):
    id: str
    iri: str
    status: str = Field(description="new, unchanged or replaced")
    events: list[dict[str, Any]]
    actors: list[dict[str, Any]]


class DocumentSummary(BaseModel):
    id: str
    iri: str
    title: str | None
    published: str | None
    url: str | None
    file: str | None
    events: int


class DocumentPage(Page):
    items: list[DocumentSummary]


class DocumentDetail(DocumentSummary):
    text: str | None
    marked: str | None = Field(None, description="the text with event triggers in [[...]]")
    event_list: list[EventOut]


class ProblemDetails(BaseModel):
    """RFC 9457 problem details: the body of every 4xx and 5xx answer."""

    type: str = Field("about:blank", description="a URI naming the kind of problem")
    title: str = Field(description="the HTTP status phrase")
    status: int = Field(description="the HTTP status code, repeated")
    detail: str = Field(description="what went wrong, for people")
    instance: str | None = Field(None, description="the path of the request")
