"""Documents: post text to extract and store it, list, read (JSON or Turtle), delete."""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app.deps import State, StateDep, WriteAllowed, read
from app.models import (
    SOME_TEXT,
    DocumentCreated,
    DocumentDetail,
    DocumentIn,
    DocumentPage,
    DocumentSummary,
    has_text,
)
from app.problems import Problem
from app.responses import RDF_GRAPHS, bodies, merge, problems
from app.routers.params import SLUG_SCHEMA, ModalityFilters, dedupe, minted, next_page
from app.routers.sparql import accepted
from graph import queries
from ingest.extract import DocumentTooLarge
from ingest.model import Extraction, SourceDocument
from ingest.pipeline import Extracted, prepared

router = APIRouter(tags=["documents"])
MAX_BODY = 2_000_000
# a document's text, sent as the body or as a multipart form's `file` (an upload or a field)
TEXT = {"type": "string", "minLength": 1, "maxLength": 1_000_000, "pattern": SOME_TEXT,
        "description": "the document's text (UTF-8, or text/plain's declared charset)"}
# the other fields of a multipart form, each a string (an empty one is no value)
FIELDS = {name: {"anyOf": [next(s for s in field.get("anyOf", [field]) if s.get("type") != "null"),
                           {"type": "string", "maxLength": 0}]}
          for name, field in DocumentIn.model_json_schema()["properties"].items()
          if name != "text"}
DocId = Annotated[str, Path(max_length=100, json_schema_extra=SLUG_SCHEMA,
                            examples=["02c5fb17753ec921"])]


async def _incoming(request: Request) -> DocumentIn:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None:
            raise Problem(400, "a multipart upload needs a 'file' part")
        fields: dict[str, Any] = {k: v for k, v in form.items()
                                  if isinstance(v, str) and k != "file"}
        if isinstance(upload, str):  # the text as a plain form field
            raw = upload.encode("utf-8")
        else:
            raw = await upload.read(MAX_BODY + 1)
            fields.setdefault("title", upload.filename)
    else:
        raw = await request.body()
        fields = {}
    if len(raw) > MAX_BODY:
        raise Problem(413, f"the document is over {MAX_BODY:,} bytes")
    charset = _charset(request.headers.get("content-type", ""), media)
    try:
        text = raw.decode(charset)
    except LookupError as exc:
        raise Problem(415, f"unknown charset {charset!r}") from exc
    except UnicodeDecodeError as exc:
        raise Problem(400, f"the document is not {charset} text") from exc
    try:
        if media == "application/json":
            _shallow_json(text)
            payload = json.loads(text)
            if not isinstance(payload, dict):
                raise Problem(422, "expected a JSON object {text, title, published, url}")
            if isinstance(payload.get("text"), str):
                _check_text(payload["text"])
            return DocumentIn.model_validate(payload)
        if media in ("text/plain", "multipart/form-data"):
            _check_text(text)
            return DocumentIn(text=text, **{k: v or None for k, v in fields.items()
                                            if k in ("title", "published", "url")})
    except json.JSONDecodeError as exc:
        raise Problem(400, f"malformed JSON: {exc}") from exc
    except ValidationError as exc:
        raise Problem(422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                     for e in exc.errors())) from exc
    raise Problem(415, "send text/plain, application/json or a multipart/form-data file")


def _check_text(text: str) -> None:
    """The answer to a text `SOME_TEXT` refuses, whichever way it came: NUL is 400 (binary
    data), nothing but white space 422."""
    if "\x00" in text:
        raise Problem(400, "the document holds NUL characters: binary data, not text")
    if not has_text(text):
        raise Problem(422, "the document is empty (nothing but white space)")


def _charset(content_type: str, media: str) -> str:
    """The body's charset: the Content-Type's (text/plain may name another), else UTF-8.
    JSON is UTF-8 whatever the header says (RFC 8259)."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "charset" and media == "text/plain":
            return value.strip().strip('"').lower() or "utf-8"
    return "utf-8"


MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _shallow_json(text: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before parsing it (Python's parser
    recurses). Strings are skipped first; the brackets left are counted in one pass."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise Problem(400, f"the JSON is nested more than {MAX_JSON_DEPTH} deep "
                          "(the limit on nesting depth)")


_warm = threading.Event()
_warming = threading.Lock()
WARM_UP_TEXT = "Iran fired missiles at a US base in Iraq, and the United States warned Iran."


def warm_up() -> None:
    """Build the extractor's caches (vocabularies, dictionaries, models) with one small
    extraction, once per process; `evkg serve` calls it before accepting requests."""
    if not _warm.is_set():
        with _warming:
            if not _warm.is_set():
                _extract_now(SourceDocument(text=WARM_UP_TEXT, file="warm-up"))
                _warm.set()


def _extract_now(doc: SourceDocument) -> tuple[Extraction, Extracted]:
    """The extraction, for the answer, and the document made ready to store as `evkg
    ingest` makes it (`ingest.pipeline.prepared`): the same graph and content hash."""
    from ingest.extract import extract

    extraction = extract(doc)
    return extraction, prepared(extraction)


def _extract(doc: SourceDocument) -> tuple[Extraction, Extracted]:
    """Extract in a thread. The extractor builds its caches on first use, unlocked: unless
    the service warmed it at start, the first extraction in the process runs alone, and the
    requests arriving meanwhile wait for it instead of each building them again."""
    if not _warm.is_set():
        with _warming:
            if not _warm.is_set():
                result = _extract_now(doc)
                _warm.set()
                return result
    return _extract_now(doc)


@router.post("/documents", status_code=201, response_model=DocumentCreated,
             dependencies=[WriteAllowed], summary="Extract a document's events and store it",
             responses=merge({200: {"description": "Already stored (unchanged or replaced)",
                                    "model": DocumentCreated}},
                             problems(400, 401, 403, 413, 415, 422, 503)),
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": DocumentIn.model_json_schema()},
                 "text/plain": {"schema": TEXT},
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": TEXT, **FIELDS}}},
             }}})
async def post_document(request: Request, state: StateDep) -> Response:
    body = await _incoming(request)
    doc = SourceDocument(text=body.text, url=body.url, title=body.title,
                         published=body.published)
    try:
        extraction, ready = await anyio.to_thread.run_sync(_extract, doc)
    except DocumentTooLarge as exc:
        raise Problem(413, str(exc)) from exc
    async with state.write_lock:
        status = await anyio.to_thread.run_sync(state.put_document, ready)
    created = DocumentCreated(
        id=doc.key, iri=doc.iri, status=status,
        events=[e.to_json() for e in extraction.events],
        actors=[a.to_json() for a in extraction.actors],
    )
    return Response(created.model_dump_json(), status_code=201 if status == "new" else 200,
                    media_type="application/json", headers={"Location": f"/documents/{doc.key}"})


def _summary(row: dict) -> DocumentSummary:
    issued = row.get("issued")
    return DocumentSummary(
        id=row["d"].rsplit("/", 1)[-1], iri=row["d"], title=row.get("title"),
        published=issued.isoformat() if isinstance(issued, date) else issued,
        url=row.get("url"), file=row.get("file"), events=int(row.get("events", 0)),
    )


@router.get("/documents", response_model=DocumentPage, summary="The stored documents",
            responses=problems(400, 422, 503))
async def list_documents(
    request: Request, state: StateDep, filters: ModalityFilters,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> DocumentPage:
    """Each document with how many events of `modality` it has (asserted unless it names
    others)."""
    rows = await read(state, state.reader().select, queries.documents(limit, offset, filters))
    items = [_summary(r) for r in rows]
    return DocumentPage(limit=limit, offset=offset, items=items,
                        next=next_page(request, limit, offset, len(items)))


async def rdf_of(state: State, sparql: str, accept: list[str]) -> Response:
    """A CONSTRUCT, in the client's RDF format (Turtle unless it asks otherwise)."""
    media = next((m for m in accept if m in RDF_GRAPHS), "text/turtle")
    if state.pool is not None:
        encoded = await read(state, state.pool.run, "serialize",
                             {"sparql": sparql, "accept": [media], "max_rows": None},
                             state.settings.query_timeout, "rest")
        return Response(encoded.body, media_type=encoded.media, headers={"Vary": "Accept"})
    chunks, media = await read(state, state.store.query_serialized, sparql, media)
    return Response(b"".join(chunks), media_type=media, headers={"Vary": "Accept"})


def marked_text(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for begin, end in sorted(set(spans)):
        if begin < last or end > len(text):
            continue
        out += [text[last:begin], "[[", text[begin:end], "]]"]
        last = end
    out.append(text[last:])
    return "".join(out)


@router.get("/documents/{doc_id}", response_model=DocumentDetail,
            summary="A document: metadata, events, its text with the triggers marked",
            responses=merge(bodies(*RDF_GRAPHS), problems(400, 404, 422, 503)))
async def get_document(doc_id: DocId, request: Request, state: StateDep,
                       filters: ModalityFilters) -> Any:
    """As JSON: its events of `modality` (asserted unless it names others), each saying its
    own, and the text with their triggers marked. As RDF: the document's whole graph."""
    iri = minted("document", doc_id)
    reader = state.reader()
    rows = await read(state, reader.select, queries.document(iri))
    if not rows:
        raise Problem(404, f"no document {doc_id!r}")
    accept = accepted(request)
    if accept and accept[0] in RDF_GRAPHS:
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        return await rdf_of(state, sparql, accept)
    row = rows[0]
    events = dedupe(await read(state, reader.select,
                               queries.events(filters, limit=1000).replace(
                                   "sem:eventType ?type .", f"sem:eventType ?type ; "
                                   f"prov:wasDerivedFrom <{iri}> .", 1)))
    spans = [(int(m["begin"]), int(m["end"]))
             for m in await read(state, reader.select,
                                 queries.document_mentions(iri, filters))]
    text = row.get("text")
    summary = _summary({**row, "d": iri, "events": len(events)})
    return DocumentDetail(**summary.model_dump(), text=text,
                          marked=marked_text(text, spans) if text else None, event_list=events)


@router.delete("/documents/{doc_id}", status_code=204, dependencies=[WriteAllowed],
               summary="Remove a document and everything extracted from it",
               responses=problems(400, 401, 403, 404, 422))
async def delete_document(doc_id: DocId, state: StateDep) -> Response:
    iri = minted("document", doc_id)
    if not await state.remove_graph(iri):
        raise Problem(404, f"no document {doc_id!r}")
    return Response(status_code=204)
