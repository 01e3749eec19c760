"""The HTML query page a browser gets at /sparql: a form and a few worked examples."""

from __future__ import annotations

from html import escape

EXAMPLES = {
    "Events by CAMEO root": (
        "SELECT ?root (COUNT(?e) AS ?events) WHERE {\n  ?e a sem:Event ; sem:eventType ?t .\n"
        "  ?t skos:broader* ?root . ?root skos:topConceptOf cameo:scheme .\n"
        "} GROUP BY ?root ORDER BY DESC(?events)"
    ),
    "Who attacked whom": (
        "SELECT ?source ?target ?date WHERE {\n  ?e sem:eventType/skos:broader* cameo:19 ;\n"
        "     evkg:source ?source ; evkg:target ?target .\n"
        "  OPTIONAL { ?e sem:hasTimeStamp ?date }\n} ORDER BY ?date LIMIT 50"
    ),
    "Documents": "SELECT ?d ?title WHERE { ?d a evkg:Document ; dcterms:title ?title }",
}


def query_page(endpoint: str) -> str:
    examples = "".join(
        f'<li><a href="?query={escape(q.replace(chr(10), " "), quote=True)}">{escape(name)}'
        f"</a><pre>{escape(q)}</pre></li>"
        for name, q in EXAMPLES.items()
    )
    first = escape(next(iter(EXAMPLES.values())))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>evkg SPARQL</title></head><body>
<h1>evkg SPARQL endpoint</h1>
<p>POST or GET <code>{escape(endpoint)}</code> with <code>query=</code>. Prefixes evkg, sem,
cameo, skos, dcterms, prov, nif and gaf are predeclared; the default graph is the union of
all graphs.</p>
<form method="get" action="{escape(endpoint)}">
<textarea name="query" rows="10" cols="90">{first}</textarea><br>
<select name="format" disabled><option>JSON</option></select>
<button type="submit">Run</button></form>
<h2>Examples</h2><ul>{examples}</ul></body></html>"""
