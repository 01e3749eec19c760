"""An extraction as RDF: the content of the document's named graph.

The shape is documented in docs/ARCHITECTURE.md ("The RDF of one document"). Every IRI is
derived from the document's identity, so the same document always yields the same triples.

The graph is written as N-Triples lines of pyoxigraph terms, not built in an rdflib graph: a
document yields hundreds of triples (~550 for a 500-word article), and adding them to
rdflib's memory store cost more than extracting the events did (about 17 us a triple,
against well under 1 us here). What the
ontology entails is not repeated: a mention is typed evkg:Mention only (a subclass of
nif:String), an actor or place labelled with skos:prefLabel only (a sub-property of
rdfs:label): each triple costs the store's writer ~10-15 us with RocksDB's compactions.
Nor is reference data copied: an actor from the gazetteer is only named (its description is
in the store's gazetteer graph); an actor the text alone introduced is described. Bulk
ingestion takes the N-Triples straight to the store; `to_graph` gives an rdflib graph for
the callers that want one (Turtle output).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, PROV, SKOS, DefinedNamespace

import ontology.namespaces as ns
from ingest.model import Actor, Extraction, SourceDocument, Span
from ingest.resources import vocabulary_digest
from ingest.settings import get_settings
from ingest.vocab import vocabulary

EVKG = Namespace(ns.EVKG)
ID = Namespace(ns.ID)
CAMEO = Namespace(ns.CAMEO)
SEM = Namespace(ns.SEM)
GAF = Namespace(ns.GAF)
NIF = Namespace(ns.NIF)
RDF_NS = ns.RDF
RDFS_NS = ns.RDFS
XSD_NS = ns.XSD

EXTRACTOR_IRI = f"{ID}agent/extractor"
# The code's version: raise it when a change to the code changes what is extracted.
# 2: events of every modality, each with its evkg:modality (1 kept asserted events only and
# wrote no modality). The full version (`extractor_version()`) adds what else decides the
# output, the data files and the coder; a stored document is re-extracted when it or the
# full version changes (or with `evkg ingest --force`). The run IRI
# (`id:run/{document key}-{full version}`) tells runs apart.
EXTRACTOR_VERSION = "2"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """EXTRACTOR_VERSION and 12 hex digits of a digest of every vocabulary and dictionary
    file extraction reads (ingest.resources) and the coder setting (EVKG_CODER, and
    EVKG_SPACY_MODEL for the parse coder), e.g. "2-3f9c0a1b2c4d". Worked out once per
    process, like the vocabularies it describes (read once per process too)."""
    chosen = get_settings()
    coder: str = chosen.coder
    if coder == "parse":
        coder += f":{chosen.spacy_model or 'default'}"
    digest = hashlib.sha256(f"{vocabulary_digest()}\0{coder}".encode()).hexdigest()
    return f"{EXTRACTOR_VERSION}-{digest[:12]}"


def graph_hash(doc: SourceDocument) -> str:
    """The hash a document's stored graph records as evkg:contentHash, and that a later
    ingestion compares to skip it: the document as read (its content hash) and the
    extractor version that made the graph. Edit a gazetteer or a dictionary, or switch the
    coder, and every stored document is extracted again on the next ingestion."""
    made_of = f"{doc.content_hash}\0{extractor_version()}"
    return hashlib.sha256(made_of.encode("utf-8")).hexdigest()


KIND_CONCEPTS = {
    "state": "State",
    "government-body": "GovernmentBody",
    "armed-force": "ArmedForce",
    "militia": "Militia",
    "person": "Person",
    "legislature": "Legislature",
    "international-organisation": "InternationalOrganisation",
    "media": "Media",
    "armed-group": "ArmedGroup",
    "other": "OtherActor",
}

# Event.modality -> its concept in evkg:ModalityScheme (ontology/evkg.ttl)
MODALITY_CONCEPTS = {
    "asserted": "Asserted",
    "negated": "Negated",
    "hypothetical": "Hypothetical",
    "intended": "Intended",
    "claimed": "Claimed",
    "denied": "Denied",
}

PREFIXES = {
    "evkg": str(EVKG),
    "id": str(ID),
    "cameo": str(CAMEO),
    "sem": str(SEM),
    "gaf": str(GAF),
    "nif": str(NIF),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
}


def _iri(namespace: Namespace | type[DefinedNamespace] | str, local: str = "") -> str:
    """An IRI in N-Triples form (`<...>`), checked by Oxigraph."""
    return str(ox.NamedNode(f"{namespace}{local}"))


def _text(value: str) -> str:
    """A plain literal in N-Triples form, escaped by Oxigraph."""
    return str(ox.Literal(value))


class _Terms:
    """The fixed terms of the document shape, in N-Triples form, made once."""

    type = _iri(RDF_NS, "type")
    label = _iri(RDFS_NS, "label")
    pref_label = _iri(SKOS, "prefLabel")
    alt_label = _iri(SKOS, "altLabel")
    document = _iri(EVKG, "Document")
    mention = _iri(EVKG, "Mention")
    mentions = _iri(EVKG, "mentions")
    content_hash = _iri(EVKG, "contentHash")
    file_name = _iri(EVKG, "fileName")
    country_code = _iri(EVKG, "countryCode")
    sector = _iri(EVKG, "sector")
    actor_kind = _iri(EVKG, "actorKind")
    source = _iri(EVKG, "source")
    target = _iri(EVKG, "target")
    co_source = _iri(EVKG, "coSource")
    co_target = _iri(EVKG, "coTarget")
    sentence = _iri(EVKG, "sentence")
    modality = _iri(EVKG, "modality")
    context = _iri(NIF, "Context")
    is_string = _iri(NIF, "isString")
    begin = _iri(NIF, "beginIndex")
    end = _iri(NIF, "endIndex")
    anchor = _iri(NIF, "anchorOf")
    reference_context = _iri(NIF, "referenceContext")
    title = _iri(DCTERMS, "title")
    issued = _iri(DCTERMS, "issued")
    dc_source = _iri(DCTERMS, "source")
    publisher = _iri(DCTERMS, "publisher")
    activity = _iri(PROV, "Activity")
    used = _iri(PROV, "used")
    associated = _iri(PROV, "wasAssociatedWith")
    software_agent = _iri(PROV, "SoftwareAgent")
    derived = _iri(PROV, "wasDerivedFrom")
    generated = _iri(PROV, "wasGeneratedBy")
    sem_actor = _iri(SEM, "Actor")
    sem_place = _iri(SEM, "Place")
    sem_event = _iri(SEM, "Event")
    event_type = _iri(SEM, "eventType")
    has_actor = _iri(SEM, "hasActor")
    has_place = _iri(SEM, "hasPlace")
    time_stamp = _iri(SEM, "hasTimeStamp")
    denoted_by = _iri(GAF, "denotedBy")
    extractor = _iri(EXTRACTOR_IRI)


T = _Terms
KINDS = {kind: _iri(EVKG, concept) for kind, concept in KIND_CONCEPTS.items()}
MODALITIES = {name: _iri(EVKG, concept) for name, concept in MODALITY_CONCEPTS.items()}
XSD_TYPES = {
    name: ox.NamedNode(f"{XSD_NS}{name}") for name in ("integer", "date", "gYear", "gYearMonth")
}


def _typed(value: str, datatype: str) -> str:
    """A literal of an XSD type (`XSD_TYPES`) in N-Triples form."""
    return str(ox.Literal(value, datatype=XSD_TYPES[datatype]))


def time_literal(value: str) -> str:
    """An ISO date at its precision, typed accordingly."""
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return _typed(value, kind)


def mention_iri(document_iri: str, span: Span) -> str:
    """A span of a document's text, RFC 5147 style (as NIF does)."""
    return f"{document_iri}#char={span.start},{span.end}"


class _Builder:
    """Collects the N-Triples lines of one document, each once; actors and mentions are
    described once, and the actors in `gazetteer` (described in the gazetteer's graph) not
    at all.

    Every term is made and written by Oxigraph (checked IRIs, escaped literals); only the
    lines are joined here. Making a pyoxigraph Triple per triple and serialising the list
    cost ~1.5 us a triple, most of what building a document's RDF cost."""

    def __init__(self, document_iri: str, gazetteer: Container[str]) -> None:
        self.lines: dict[str, None] = {}
        self._document_iri = document_iri
        self.document = _iri(document_iri)
        self._described: set[str] = set()
        self._gazetteer = gazetteer

    def add(self, s: str, p: str, o: str) -> None:
        self.lines[f"{s} {p} {o} .\n"] = None

    def mention(self, span: Span) -> str:
        node = _iri(mention_iri(self._document_iri, span))
        if node not in self._described:
            self._described.add(node)
            self.add(node, T.type, T.mention)  # a nif:String by the ontology
            self.add(node, T.begin, _typed(str(span.start), "integer"))
            self.add(node, T.end, _typed(str(span.end), "integer"))
            self.add(node, T.anchor, _text(span.text))
            self.add(node, T.reference_context, self.document)
        return node

    def actor(self, actor: Actor) -> str:
        node = _iri(actor.iri)
        if actor.iri in self._described or actor.iri in self._gazetteer:
            return node
        self._described.add(actor.iri)
        self.add(node, T.type, T.sem_actor)
        self.add(node, T.pref_label, _text(actor.label))  # an rdfs:label by SKOS
        for alias in dict.fromkeys(actor.aliases):
            if alias != actor.label:
                self.add(node, T.alt_label, _text(alias))
        if actor.code:
            self.add(node, T.country_code, _text(actor.code))
        if actor.sector:
            self.add(node, T.sector, _text(actor.sector))
        if actor.kind in KINDS:
            self.add(node, T.actor_kind, KINDS[actor.kind])
        return node


def to_ntriples(extraction: Extraction, standalone: bool = False) -> bytes:
    """The document's graph as N-Triples, one triple a line, as Oxigraph writes them: what
    the store and the worker processes carry. Metadata, text, actors, events, provenance.

    `standalone` describes the gazetteer's actors too, for a graph read on its own rather
    than in a store that holds the gazetteer (`evkg extract`).
    """
    doc = extraction.document
    out = _Builder(doc.iri, () if standalone else vocabulary().actors)
    add = out.add
    document = out.document
    version = extractor_version()
    run = _iri(ID, f"run/{doc.key}-{version}")
    add(document, T.type, T.document)
    add(document, T.type, T.context)
    add(document, T.is_string, _text(doc.text))
    add(document, T.content_hash, _text(graph_hash(doc)))
    if doc.title:
        add(document, T.title, _text(doc.title))
    if doc.published:
        add(document, T.issued, _typed(doc.published.isoformat(), "date"))
    if doc.url:
        add(document, T.dc_source, _iri(doc.url))
    if doc.file:
        add(document, T.file_name, _text(doc.file))
    if doc.source:
        add(document, T.publisher, _text(doc.source))

    add(run, T.type, T.activity)
    add(run, T.used, document)
    add(run, T.associated, T.extractor)
    add(T.extractor, T.type, T.software_agent)
    add(T.extractor, T.label, _text(f"evkg extractor {version}"))

    for actor in extraction.actors:
        add(document, T.mentions, out.actor(actor))
    for place in extraction.places:
        node = _iri(place.iri)
        add(node, T.type, T.sem_place)
        add(node, T.pref_label, _text(place.label))

    for event in extraction.events:
        node = _iri(event.iri)
        add(node, T.type, T.sem_event)
        add(node, T.label, _text(event.label))
        add(node, T.event_type, _iri(CAMEO, event.code))
        modality = MODALITIES.get(event.modality)
        if modality is None:  # written as asserted, it would be reported as having happened
            raise ValueError(f"event {event.iri} has an unknown modality {event.modality!r}")
        add(node, T.modality, modality)  # every event, so a reader need not assume
        roles = [(T.source, event.source), (T.target, event.target)]
        roles += [(T.co_source, a) for a in event.co_sources]
        roles += [(T.co_target, a) for a in event.co_targets]
        for role, taking_part in roles:
            if taking_part is not None:
                actor_node = out.actor(taking_part)
                add(node, role, actor_node)
                add(node, T.has_actor, actor_node)
        if event.place is not None:
            add(node, T.has_place, _iri(event.place.iri))
        if event.date:
            add(node, T.time_stamp, time_literal(event.date))
        add(node, T.denoted_by, out.mention(event.trigger))
        add(node, T.sentence, out.mention(event.sentence))
        add(node, T.derived, document)
        add(node, T.generated, run)
    return "".join(out.lines).encode("utf-8")


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def to_graph(extraction: Extraction, standalone: bool = False) -> Graph:
    """The document's graph in rdflib, prefixes bound (for Turtle and other serialisations)."""
    graph = bind_prefixes(Graph())
    graph.parse(data=to_ntriples(extraction, standalone), format="nt")
    return graph
