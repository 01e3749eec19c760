"""The vocabularies (ontology, CAMEO scheme, gazetteers) as named graphs of their own."""

from __future__ import annotations

from pathlib import Path

from graph.store.base import GraphStore, PutStatus
from ontology.namespaces import GRAPH

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
GRAPH_BASE = GRAPH
# the happenings every document event is clustered into (graph.happening_store)
HAPPENINGS_GRAPH = f"{GRAPH_BASE}happenings"

# graph name -> file in ontology/ (shapes.ttl is for validation, not for queries)
VOCABULARIES = {
    "ontology": "evkg.ttl",
    "cameo": "cameo.ttl",
    "actors": "actors.ttl",
    "agents": "agents.ttl",
    # generated gazetteers: every state, its organs and office holders; international bodies
    "countries": "countries.ttl",
    "international": "international.ttl",
    "armed_groups": "armed_groups.ttl",
}


def vocabulary_graph(name: str) -> str:
    return f"{GRAPH_BASE}{name}"


def load_vocabularies(store: GraphStore, folder: Path = ONTOLOGY_DIR) -> dict[str, PutStatus | str]:
    """Load each vocabulary file that is missing from the store or changed since (by hash).

    A file that does not exist yet is reported as "absent" rather than failing ingestion.
    """
    out: dict[str, PutStatus | str] = {}
    for name, file in VOCABULARIES.items():
        path = folder / file
        if not path.is_file():
            out[name] = "absent"
            continue
        out[name] = store.load(path, vocabulary_graph(name), "turtle")
    return out
