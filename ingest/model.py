"""Plain data objects that flow from reading, through extraction, to RDF.

They carry no behaviour beyond serialisation, so every layer can use them without
importing spaCy or rdflib.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ontology.namespaces import ID

# How a text reports an event (ontology/evkg.ttl, evkg:ModalityScheme).
MODALITIES = ("asserted", "negated", "hypothetical", "intended", "claimed", "denied")


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from disk or posted by a client, before extraction."""

    text: str
    file: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None

    @cached_property
    def identity(self) -> str:
        """What makes two versions the same document: its URL, else its file name."""
        if self.url:
            return self.url
        if self.file:
            return self.file
        return "sha1:" + hashlib.sha1(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def key(self) -> str:
        return hashlib.sha1(self.identity.encode("utf-8")).hexdigest()[:16]

    @property
    def iri(self) -> str:
        return f"{ID}document/{self.key}"

    @property
    def content_hash(self) -> str:
        """Changes whenever the text or its metadata change (drives re-ingestion)."""
        parts = [self.text, self.title or "", str(self.published or ""), self.url or ""]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Actor:
    iri: str
    label: str
    aliases: tuple[str, ...] = ()
    code: str | None = None
    sector: str | None = None
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "aliases": list(self.aliases),
            "code": self.code,
            "sector": self.sector,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Place:
    iri: str
    label: str

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class Span:
    """A stretch of the document's text, by character offsets."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Event:
    iri: str
    code: str
    label: str
    quad_class: int
    goldstein: float
    sentence: Span
    trigger: Span
    source: Actor | None = None
    target: Actor | None = None
    date: str | None = None  # ISO at the text's precision: "2020", "2020-01", "2020-01-03"
    place: Place | None = None
    # asserted, negated, hypothetical, intended, claimed or denied (ontology/evkg.ttl's
    # evkg:ModalityScheme); the coder keeps every reading and says which it is.
    modality: str = "asserted"
    # actors coordinated with the source or the target ("X, Y and Z delivered aid to W"):
    # one act is one event, whoever took part in it
    co_sources: tuple[Actor, ...] = ()
    co_targets: tuple[Actor, ...] = ()

    @property
    def sources(self) -> tuple[Actor, ...]:
        """The source and those acting with it."""
        return ((self.source,) if self.source else ()) + self.co_sources

    @property
    def targets(self) -> tuple[Actor, ...]:
        """The target and those acted upon with it."""
        return ((self.target,) if self.target else ()) + self.co_targets

    @property
    def root(self) -> str:
        return self.code[:2]

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "code": self.code,
            "root": self.root,
            "label": self.label,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source.to_json() if self.source else None,
            "target": self.target.to_json() if self.target else None,
            "co_sources": [a.to_json() for a in self.co_sources],
            "co_targets": [a.to_json() for a in self.co_targets],
            "date": self.date,
            "place": self.place.to_json() if self.place else None,
            "modality": self.modality,
            "sentence": self.sentence.to_json(),
            "trigger": self.trigger.to_json(),
        }


@dataclass
class Extraction:
    """What one document yielded: its actors and events."""

    document: SourceDocument
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        doc = self.document
        return {
            "document": {
                "file": doc.file,
                "iri": doc.iri,
                "title": doc.title,
                "published": doc.published.isoformat() if doc.published else None,
            },
            "actors": [a.to_json() for a in self.actors],
            "events": [e.to_json() for e in self.events],
        }
