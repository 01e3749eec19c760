"""The network view as files analysts open elsewhere: GraphML (yEd, Cytoscape desktop),
GEXF with dates (Gephi plays its timeline), node-link JSON, and one self-contained HTML
file that draws the view offline, opened from disk.

All take the decorated graph of `graph.network_view.network_view`, so a download shows
exactly what the page drew.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph.network_view import view_json

ROOT = Path(__file__).resolve().parent.parent
CYTOSCAPE_JS = ROOT / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
FORMATS = ("graphml", "gexf", "json", "html")
MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}

_NODE_KEYS = ("label", "kind", "country", "sector", "weight", "x", "y")
_EDGE_KEYS = ("count", "mean_goldstein", "quad", "first", "last")


class MissingLibraryError(RuntimeError):
    """The offline HTML needs Cytoscape.js from node_modules and it is not installed."""


def full_date(value: str | None) -> str | None:
    """An ISO date at any precision as a full date (its first day): what Gephi expects."""
    if not value:
        return None
    parts = str(value).split("-")
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts[:3])


def flat_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy with only scalar attributes (the GraphML and GEXF writers take no lists)."""
    out = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {k: data[k] for k in _NODE_KEYS if data.get(k) is not None}
        attrs["aliases"] = "; ".join(data.get("aliases", []))
        out.add_node(node, **attrs)
    for u, v, data in graph.edges(data=True):
        attrs = {k: data[k] for k in _EDGE_KEYS if data.get(k) is not None}
        attrs["weight"] = float(data.get("count", 1))
        out.add_edge(u, v, **attrs)
    return out


def to_graphml(graph: nx.DiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: nx.DiGraph) -> bytes:
    """GEXF in dynamic mode: each actor and dyad starts at its first event, and an edge's
    `events` attribute counts up at each event date, so Gephi's timeline replays the
    conflict as it unfolded."""
    out = flat_graph(graph)
    out.graph["mode"] = "dynamic"
    first_of: dict[str, str] = {}
    for u, v, data in graph.edges(data=True):
        start = full_date(data.get("first"))
        if start is None:
            continue
        out.edges[u, v]["start"] = start
        for node in (u, v):
            if node not in first_of or start < first_of[node]:
                first_of[node] = start
        dates = sorted(
            day for e in data.get("events", []) if (day := full_date(e.get("date"))) is not None
        )
        if dates:  # cumulative count as a dynamic attribute: (value, start, end)
            steps: list[tuple[int, str, None]] = []
            for i, day in enumerate(dates, start=1):
                if steps and steps[-1][1] == day:
                    steps[-1] = (i, day, None)
                else:
                    steps.append((i, day, None))
            out.edges[u, v]["events"] = [
                (n, day, steps[j + 1][1] if j + 1 < len(steps) else None)
                for j, (n, day, _) in enumerate(steps)
            ]
    for node, start in first_of.items():
        out.nodes[node]["start"] = start
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer, encoding="utf-8")
    return buffer.getvalue()


def to_json(graph: nx.DiGraph) -> bytes:
    return json.dumps(view_json(graph), ensure_ascii=False, indent=1).encode("utf-8")


def to_html(graph: nx.DiGraph, title: str = "evkg actor network") -> bytes:
    """One HTML file with Cytoscape.js (read from node_modules now) and the view inlined."""
    if not CYTOSCAPE_JS.is_file():
        raise MissingLibraryError(
            f"{CYTOSCAPE_JS} is missing: run `npm ci` in {ROOT} (or bash scripts/setup.sh)"
        )
    library = CYTOSCAPE_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
    data = json.dumps(view_json(graph), ensure_ascii=False).replace("</", "<\\/")
    page = (
        _HTML.replace("%TITLE%", _escape(title))
        .replace("%LIBRARY%", library)
        .replace("%DATA%", data)
    )
    return page.encode("utf-8")


def render(graph: nx.DiGraph, fmt: str) -> bytes:
    """The view in `fmt` (one of FORMATS)."""
    writers: dict[str, Callable[[nx.DiGraph], bytes]] = {
        "graphml": to_graphml,
        "gexf": to_gexf,
        "json": to_json,
        "html": to_html,
    }
    if fmt not in writers:
        raise ValueError(f"unknown network format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writers[fmt](graph)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%TITLE%</title>
<style>
html,body{margin:0;height:100%;font:14px system-ui,sans-serif}
#cy{position:absolute;inset:0 0 0 0}
#info{position:absolute;left:8px;top:8px;background:#fffd;padding:6px 10px;border-radius:4px;
max-width:40%;z-index:2}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:middle}
</style></head><body>
<div id="info"><strong>%TITLE%</strong> <span id="counts"></span>
<div class="legend">edge colour: <span style="background:#c0392b"></span>conflict
<span style="background:#999"></span>neutral <span style="background:#2471a3"></span>cooperation
</div><div id="picked"></div></div>
<div id="cy"></div>
<script>%LIBRARY%</script>
<script>
const view = %DATA%;
const maxW = Math.max(1, ...view.nodes.map(n => n.weight));
const maxC = Math.max(1, ...view.edges.map(e => e.count));
const elements = view.nodes.map(n => ({group: "nodes", data: {...n,
  size: 14 + 40 * Math.sqrt(n.weight / maxW)}, position: {x: n.x, y: n.y}}))
  .concat(view.edges.map(e => ({group: "edges", data: {...e,
  width: 1 + 7 * e.count / maxC, tone: tone(e.goldstein)}})));
function tone(g) { return g < -1 ? "#c0392b" : g > 1 ? "#2471a3" : "#999"; }
const cy = cytoscape({container: document.getElementById("cy"), elements,
  layout: {name: "preset"}, wheelSensitivity: 0.3,
  style: [
    {selector: "node", style: {label: "data(label)", width: "data(size)",
      height: "data(size)", "font-size": 10, "background-color": "#5d6d7e"}},
    {selector: "edge", style: {width: "data(width)", "curve-style": "bezier",
      "target-arrow-shape": "triangle", "line-color": "data(tone)",
      "target-arrow-color": "data(tone)", opacity: 0.8}}]});
document.getElementById("counts").textContent =
  view.nodes.length + " actors, " + view.edges.length + " dyads";
cy.on("tap", "node, edge", ev => {
  const d = ev.target.data();
  document.getElementById("picked").textContent = ev.target.isNode()
    ? d.label + " (" + d.kind + (d.country ? ", " + d.country : "") + ")"
    : cy.getElementById(d.source).data("label") + " -> " + cy.getElementById(d.target)
      .data("label") + ": " + d.count + " events, mean Goldstein " + d.goldstein;
});
window.evkgReady = true;
</script></body></html>
"""
