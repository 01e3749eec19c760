"""The network view as files analysts open elsewhere: GraphML (yEd, Cytoscape desktop),
GEXF with dates (Gephi plays its timeline), node-link JSON, and one self-contained HTML
file that draws the view offline, opened from disk.

All take the decorated graph of `graph.network.view.network_view`, so a download shows
exactly what the page drew. The HTML file is the page itself (its markup, script and
style, which the app layer hands over as a `Page`) with the view and Cytoscape.js inlined.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from graph.network.view import compact_json, view_json

FORMATS = ("graphml", "gexf", "json", "html")
MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}

_NODE_KEYS = ("label", "kind", "country", "sector", "weight", "x", "y")
_EDGE_KEYS = ("count", "mean_goldstein", "quad", "first", "last")


@dataclass(frozen=True)
class Page:
    """The network page as the offline file inlines it: its markup (whose stylesheet links
    and script tags are replaced), its script and style, and the Cytoscape.js library."""

    markup: str
    script: str
    style: str
    library: str


# what the markup loads from the service, replaced by the inlined page
_LOADED = re.compile(r'<link rel="stylesheet"[^>]*>|<script [^>]*src=[^>]*></script>')


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
            day for ref in data.get("refs", ()) if (day := full_date(ref.date)) is not None
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


def to_html(graph: nx.DiGraph, page: Page) -> bytes:
    """The page as one file that draws the view opened from disk, with no service behind it:
    the view inlined in the page's own shape (`compact_json`, as `window.evkgOffline`), the
    page's script told so by it (it then hides the controls that ask the service)."""
    data = json.dumps(compact_json(graph), ensure_ascii=False).replace("</", "<\\/")
    inlined = (
        f"<style>\n{page.style}</style>\n"
        f"<script>{_script_text(page.library)}</script>\n"
        f"<script>window.evkgOffline = {data};</script>\n"
        f'<script type="module">\n{_script_text(page.script)}</script>\n'
    )
    head, end, rest = page.markup.partition("</head>")
    if not end:
        raise ValueError("the page's markup has no </head>")
    html = _LOADED.sub("", head) + inlined + end + rest
    return html.encode("utf-8")


def _script_text(code: str) -> str:
    """`code` safe inside a <script> element (no closing tag in it)."""
    return code.replace("</script", "<\\/script")


def render(graph: nx.DiGraph, fmt: str, page: Page | None = None) -> bytes:
    """The view in `fmt` (one of FORMATS); "html" needs the `page` to inline."""
    writers: dict[str, Callable[[nx.DiGraph], bytes]] = {
        "graphml": to_graphml,
        "gexf": to_gexf,
        "json": to_json,
    }
    if fmt == "html":
        if page is None:
            raise ValueError("the html format needs the page to inline")
        return to_html(graph, page)
    if fmt not in writers:
        raise ValueError(f"unknown network format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writers[fmt](graph)
