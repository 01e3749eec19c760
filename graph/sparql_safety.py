"""What a SPARQL request may make the server do, decided before it runs.

A query or update must not make the server fetch anything (SERVICE, LOAD) unless the
operator allowed it, and must not be so deeply nested that the engine's recursive parser
overflows its stack (which kills the process, not just the request). Two walls decide, and
a request either of them refuses is refused:

1. `scan`, a bounded, non-recursive lexer that reads the text as Oxigraph's grammar does
   (comments end at a line feed or a carriage return, `\\u` escapes count only inside
   strings and IRIs, a keyword may be glued to the token before it: `1SERVICE`), measures
   the nesting of groups, brackets and parentheses and counts update operations, and
   finds SERVICE and LOAD outside strings, IRIs, comments, variables and prefixed names.
2. rdflib's SPARQL parser, whose parse tree is searched for the operations.

The text both read is the text the engine runs: `prepare` turns a carriage return not
followed by a line feed into a line feed (where rdflib and Oxigraph end comments
differently) and callers execute what it returns. Query workers also run without network
access (`graph.sandbox`), so a query that got past both walls still could not connect.

`manages_graphs_only` reads an update with the same lexer to tell graph management (CLEAR,
DROP, CREATE), which matches no pattern, from everything else: the store runs those itself,
where every other update runs in a worker (`graph.isolated.QueryPool.try_update`).

`with_using` applies the protocol's `using-graph-uri` / `using-named-graph-uri` to an
update, which Oxigraph's Python API cannot take as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.sparql import check_iri

MAX_NESTING = 64  # groups, brackets and parentheses inside one another
MAX_OPERATIONS = 1000  # operations of one update
CACHED_TEXT = 20_000  # characters; longer texts are parsed every time

# Texts holding neither word, in any case, cannot name either operation: they skip the
# walls (the lexer still measures their nesting).
_WORDS = re.compile(r"service|load", re.IGNORECASE)


class ForbiddenOperation(ValueError):
    """The request asks for an operation this server is configured to refuse."""


class TooComplex(ValueError):
    """The request is nested deeper, or has more operations, than the server accepts."""


class DatasetConflict(ValueError):
    """Protocol dataset parameters and USING/WITH in the update text disagree."""


# -- the lexer -------------------------------------------------------------------------

_NAME_START = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_NAME = _NAME_START + "_0-9\u00b7\u0300-\u036f\u203f-\u2040\\-"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_LONG = r"""'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)"""
_SHORT = r"""'(?:[^'\\\n\r]|\\.)*(?:'|(?=[\n\r])|\Z)|"(?:[^"\\\n\r]|\\.)*(?:"|(?=[\n\r])|\Z)"""
_TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\n\r]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<long>{_LONG})
  | (?P<short>{_SHORT})
  | (?P<var>[?$][{_NAME}]*)
  | (?P<pname>(?:[{_NAME_START}](?:[{_NAME}.]*[{_NAME}])?)?:
        (?:(?:[{_NAME}:]|{_PLX})(?:(?:[{_NAME}.:]|{_PLX})*(?:[{_NAME}:]|{_PLX}))?)?)
  | (?P<bnode>_:[{_NAME}](?:[{_NAME}.]*[{_NAME}])?)
  | (?P<word>[{_NAME}]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_KEYWORD = re.compile(r"service|load", re.IGNORECASE)
# After one of these an expression has an operand on its left, so `<` is less-than.
_OPERAND_END = frozenset({"var", "pname", "bnode", "word", "iri", "long", "short", ")"})
# A parenthesis right after one of these words opens an expression.
_EXPRESSION_OPENERS = frozenset({"FILTER", "BIND", "HAVING", "BY", "ASC", "DESC", "AS"})
# Words after which a parenthesis opens a list (an RDF collection or a VALUES row).
_DATA_WORDS = frozenset({"A", "UNDEF", "TRUE", "FALSE", "VALUES"})


@dataclass
class Scan:
    """What `scan` found: how deep the text nests, its update operations, and the
    SERVICE / LOAD keywords (upper-cased) it holds outside strings, IRIs and comments."""

    nesting: int = 0
    operations: int = 1
    keywords: set[str] = field(default_factory=set)


def _opens_expression(stack: list[str], before: tuple[str, str], last: tuple[str, str]) -> bool:
    """Whether a `(` after the tokens `before` and `last` ((kind, upper-cased text) each)
    starts an expression, where `<` after an operand is less-than, rather than a list or a
    VALUES row, where it always starts an IRI."""
    kind, word = last
    if stack and stack[-1] == "e":
        return True
    if "{" not in stack:  # the projection, GROUP BY, ORDER BY, HAVING, not VALUES (?a ?b)
        return word != "VALUES"
    if kind == "word" and word in _EXPRESSION_OPENERS:
        return True
    if kind in ("word", "pname", "iri") and before == ("word", "FILTER"):
        return True  # FILTER regex(...), FILTER ex:f(...), FILTER <f>(...)
    return kind == "word" and word not in _DATA_WORDS  # a built-in call


def scan(text: str) -> Scan:
    """Read `text` once, left to right, with a stack of open brackets and no recursion."""
    found = Scan()
    stack: list[str] = []  # "{", "[", "(" (a list or row) or "e" (an expression)
    before, last = ("", ""), ("", "")  # the last two tokens: (kind, upper-cased text)
    i, n = 0, len(text)
    while i < n:
        if text[i] == "<":
            operator = bool(stack) and stack[-1] == "e" and last[0] in _OPERAND_END
            iri = None if operator else _IRI.match(text, i)
            if iri is not None:
                i, before, last = iri.end(), last, ("iri", "")
                continue
        match = _TOKEN.match(text, i)
        assert match is not None  # `other` matches any character
        kind = match.lastgroup or "other"
        value = match.group()
        i = match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "word":
            found.keywords.update(k.upper() for k in _KEYWORD.findall(value))
        elif kind == "other":
            kind = value
            if value in "{[(":
                if value == "(" and _opens_expression(stack, before, last):
                    value = "e"
                stack.append(value)
                found.nesting = max(found.nesting, len(stack))
                if found.nesting > MAX_NESTING:
                    return found  # enough to refuse it: read no further
            elif value in "}])":
                if stack:
                    stack.pop()
            elif value == ";" and not stack:
                found.operations += 1
        before, last = last, (kind, value.upper() if kind == "word" else "")
    return found


# -- rdflib's parse --------------------------------------------------------------------


def _walk(node: Any) -> Iterator[str]:
    """Names of the parse tree's nodes, without recursion."""
    todo = [node]
    while todo:
        item = todo.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            yield name
        if isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)


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
    except Exception:  # noqa: BLE001 - rdflib raises several kinds; the lexer has its say
        return None
    return frozenset(_walk(list(tree) if not isinstance(tree, dict) else tree))


# -- the checks ------------------------------------------------------------------------


def prepare(text: str) -> str:
    """The text every reader sees and the engine runs: a carriage return that no line feed
    follows becomes a line feed (SPARQL ends a comment at either, rdflib at a line feed)."""
    return re.sub(r"\r(?!\n)", "\n", text) if "\r" in text else text


def needs_parse(text: str) -> bool:
    """Whether the text could hold SERVICE or LOAD at all (then rdflib parses it too)."""
    return _WORDS.search(text) is not None


def _limits(found: Scan, what: str) -> None:
    if found.nesting > MAX_NESTING:
        raise TooComplex(
            f"the {what} nests groups, brackets or parentheses more than {MAX_NESTING} deep "
            "(the limit on nesting depth)"
        )
    if found.operations > MAX_OPERATIONS:
        raise TooComplex(
            f"the update has more than {MAX_OPERATIONS} operations (the limit on operations)"
        )


def check_query(text: str, allow_service: bool = False) -> str:
    """The query to run (`prepare`d); ForbiddenOperation if it uses SERVICE and that is not
    allowed, TooComplex past the nesting limit."""
    text = prepare(text)
    found = scan(text)
    _limits(found, "query")
    if allow_service or not needs_parse(text):
        return text
    names = _operations(text, update=False) if not found.keywords else None
    if "SERVICE" in found.keywords or (names and "ServiceGraphPattern" in names):
        raise ForbiddenOperation("SERVICE is disabled on this endpoint")
    return text


def check_update(text: str, allow_load: bool = False, allow_service: bool = False) -> str:
    """The update to run (`prepare`d); ForbiddenOperation for LOAD (and SERVICE inside an
    update) unless allowed, TooComplex past the nesting or operation limits."""
    text = prepare(text)
    found = scan(text)
    _limits(found, "update")
    if (allow_load and allow_service) or not needs_parse(text):
        return text
    names = _operations(text, update=True) if not found.keywords else None
    if not allow_load and ("LOAD" in found.keywords or (names and "Load" in names)):
        raise ForbiddenOperation("LOAD is disabled on this endpoint")
    if not allow_service and (
        "SERVICE" in found.keywords or (names and "ServiceGraphPattern" in names)
    ):
        raise ForbiddenOperation("SERVICE is disabled on this endpoint")
    return text


# -- graph management ------------------------------------------------------------------

_GRAPH_OPERATIONS = frozenset({"CLEAR", "DROP", "CREATE"})
_ALL_GRAPHS = frozenset({"ALL", "DEFAULT", "NAMED"})  # what CLEAR and DROP may name bare


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text; upper-cased for words) of each token but spaces and comments, read as
    `scan` reads them. Graph management holds no expression, so `<` always opens an IRI
    (a `<` that opens none is an "other" token, which no graph operation takes)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        iri = _IRI.match(text, i) if text[i] == "<" else None
        if iri is not None:
            out.append(("iri", iri.group()))
            i = iri.end()
            continue
        match = _TOKEN.match(text, i)
        assert match is not None  # `other` matches any character
        kind = match.lastgroup or "other"
        i = match.end()
        if kind not in ("space", "comment"):
            out.append((kind, match.group().upper() if kind == "word" else match.group()))
    return out


def manages_graphs_only(text: str) -> bool:
    """Whether the update (as `prepare` returns it) is graph management alone: CLEAR or
    DROP of ALL, DEFAULT, NAMED or GRAPH g, and CREATE GRAPH g, each maybe SILENT, with
    BASE and PREFIX declarations; the engine's own CLEAR and DROP then run on the store.

    These match no pattern and evaluate no expression: they take time in proportion to
    what they remove and cannot recurse, so the worker that guards against other updates
    crashing the engine or running away is not needed. Every token must fit that
    grammar, read by the lexer that reads as Oxigraph's grammar does (comments end at a
    line feed or carriage return; `\\u` escapes count only inside IRIs and strings, so a
    keyword spelled with one is an unknown token here): a brace, string, variable or any
    other word answers False, and the update goes to a worker. ADD, MOVE and COPY go there
    too: they copy every triple of a graph through the engine's insert, so
    their cost grows with the graph and the time limit should stop them."""
    tokens = _tokens(text)
    i, n = 0, len(tokens)

    def at(offset: int, *kinds: str) -> str | None:
        """The token `offset` ahead if it is of one of `kinds`, else None."""
        if i + offset < n and tokens[i + offset][0] in kinds:
            return tokens[i + offset][1]
        return None

    while i < n:
        word = at(0, "word")
        if word == "BASE" and at(1, "iri"):
            i += 2
        elif word == "PREFIX" and (at(1, "pname") or "").endswith(":") and at(2, "iri"):
            i += 3
        elif word in _GRAPH_OPERATIONS:
            i += 2 if at(1, "word") == "SILENT" else 1
            if word != "CREATE" and at(0, "word") in _ALL_GRAPHS:
                i += 1
            elif at(0, "word") == "GRAPH" and at(1, "iri", "pname"):
                i += 2
            else:
                return False
            if i < n and tokens[i] != ("other", ";"):
                return False
            i += 1
        else:
            return False
    return True


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
