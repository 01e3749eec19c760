"""What a SPARQL request may make the server do, decided before it runs.

A query or update must not make the server fetch anything (SERVICE, LOAD) unless the
operator allowed it. The check parses the text with rdflib's SPARQL grammar and looks for
the operations in the parse tree, so a keyword inside a string, an IRI or a comment is not
mistaken for one. Parsing with rdflib is slow (10-20 ms for a short query), so it only runs
when a cheap scan finds the keyword as a word (or a \\u escape that could spell it): a
variable `?download` or an IRI `.../services/` does not count. Verdicts on short texts are
kept, so a client repeating a query pays the parse once.

`with_using` applies the protocol's `using-graph-uri` / `using-named-graph-uri` to an
update, which Oxigraph's Python API cannot take as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from graph.sparql import check_iri

# SERVICE and LOAD as words (keywords stand between delimiters), or an escape that could
# spell them; anything else cannot hold either operation.
_SCAN = re.compile(r"\bservice\b|\bload\b|\\u|\\U", re.IGNORECASE)
CACHED_TEXT = 20_000  # characters; longer texts are parsed every time


class ForbiddenOperation(ValueError):
    """The request asks for an operation this server is configured to refuse."""


class DatasetConflict(ValueError):
    """Protocol dataset parameters and USING/WITH in the update text disagree."""


def _walk(node: Any) -> Iterator[str]:
    name = getattr(node, "name", None)
    if isinstance(name, str):
        yield name
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _operations(text: str, update: bool) -> frozenset[str] | None:
    """Names of the parse-tree nodes, or None if rdflib's grammar cannot read the text."""
    if len(text) <= CACHED_TEXT:
        return _cached_operations(text, update)
    return _parse_operations(text, update)


@lru_cache(maxsize=256)
def _cached_operations(text: str, update: bool) -> frozenset[str] | None:
    return _parse_operations(text, update)


def _parse_operations(text: str, update: bool) -> frozenset[str] | None:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception:  # noqa: BLE001 - rdflib raises several kinds; Oxigraph has the last word
        return None
    return frozenset(_walk(list(tree) if not isinstance(tree, dict) else tree))


def needs_parse(text: str) -> bool:
    """Whether the text could hold SERVICE or LOAD at all (then it is parsed to tell)."""
    return _SCAN.search(text) is not None


def check_query(text: str, allow_service: bool = False) -> None:
    """Raise ForbiddenOperation if the query uses SERVICE and that is not allowed."""
    if allow_service or not needs_parse(text):
        return
    names = _operations(text, update=False)
    if names is None:
        if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            raise ForbiddenOperation("SERVICE is disabled on this endpoint")
        return
    if "ServiceGraphPattern" in names:
        raise ForbiddenOperation("SERVICE is disabled on this endpoint")


def check_update(text: str, allow_load: bool = False, allow_service: bool = False) -> None:
    """Raise ForbiddenOperation for LOAD (and SERVICE inside an update) unless allowed."""
    if (allow_load and allow_service) or not needs_parse(text):
        return
    names = _operations(text, update=True)
    if names is None:
        if not allow_load and re.search(r"\bLOAD\b", text, re.IGNORECASE):
            raise ForbiddenOperation("LOAD is disabled on this endpoint")
        if not allow_service and re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            raise ForbiddenOperation("SERVICE is disabled on this endpoint")
        return
    if not allow_load and "Load" in names:
        raise ForbiddenOperation("LOAD is disabled on this endpoint")
    if not allow_service and "ServiceGraphPattern" in names:
        raise ForbiddenOperation("SERVICE is disabled on this endpoint")


def _top_level_words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, upper-cased word) of each keyword outside braces, strings, IRIs, comments."""
    i, depth, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif c == "{":
            depth += 1
            i += 1
        elif c == "}":
            depth -= 1
            i += 1
        elif c == "<" and depth == 0:
            end = text.find(">", i)
            i = n if end < 0 else end + 1
        elif c.isalpha() and depth == 0:
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_:-"):
                j += 1
            yield i, text[i:j].upper()
            i = j
        else:
            i += 1


def with_using(text: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """The update with USING / USING NAMED clauses before each operation's WHERE."""
    if not using and not using_named:
        return text
    clause = " ".join(
        [f"USING <{check_iri(g)}>" for g in using]
        + [f"USING NAMED <{check_iri(g)}>" for g in using_named]
    )
    words = list(_top_level_words(text))
    if any(word in ("USING", "WITH") for _, word in words):
        raise DatasetConflict(
            "the update names its dataset (USING or WITH) and the request also gives "
            "using-graph-uri / using-named-graph-uri; give one or the other"
        )
    out, last = [], 0
    previous = ""
    for offset, word in words:
        if word == "WHERE" and previous != "DELETE":  # DELETE WHERE takes no USING
            out.append(text[last:offset])
            out.append(clause + " ")
            last = offset
        previous = word
    out.append(text[last:])
    return "".join(out)
