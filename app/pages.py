"""What the browser pages share: the header naming the store and what it serves, links
between the pages, a Content-Security-Policy that keeps them offline, and the front-end
packages they load from `node_modules` (installed by `npm ci`) with the message a page
shows when one is missing.

A wheel does not carry the front-end packages (a few MB of other projects' files, fetched
from npm): an installed evkg looks for them in `node_modules` beside its packages, and the
message says how to put them there."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from graph.network.export import Page

ROOT = Path(__file__).resolve().parent.parent  # the checkout, or site-packages
NODE_MODULES = ROOT / "node_modules"
STATIC = Path(__file__).resolve().parent / "static"  # the network page's own files
CYTOSCAPE_JS = NODE_MODULES / "cytoscape" / "dist" / "cytoscape.min.js"  # the library it draws with
# The pages' front-end packages, as package.json pins them (tests/test_wheel.py compares).
NPM_PACKAGES = {
    "@zazuko/yasgui": "4.6.2",
    "cytoscape": "3.34.4",
    "redoc": "2.5.4",
    "swagger-ui-dist": "5.35.0",
}


def install_hint() -> str:
    """How to install the front-end packages: `npm ci` in a checkout; into the folder the
    installed packages are in, for an installed evkg."""
    if (ROOT / "package.json").is_file():
        return (
            "Install the pages' packages with `npm ci` in the project folder (or run "
            "`bash scripts/setup.sh`), then reload."
        )
    packages = " ".join(f"{name}@{version}" for name, version in NPM_PACKAGES.items())
    return (
        "An installed evkg does not include the pages' packages: install them beside it "
        f"with `npm install --prefix {ROOT} {packages}`, then reload."
    )


class MissingLibraryError(RuntimeError):
    """A page's library is not installed (`install_hint` says how)."""


def network_page() -> Page:
    """The network page as the offline HTML export inlines it: its markup, script and style
    as the service serves them, and Cytoscape.js."""
    if not CYTOSCAPE_JS.is_file():
        raise MissingLibraryError(
            f"Cytoscape.js is not installed ({CYTOSCAPE_JS} is missing). " + install_hint()
        )
    return Page(
        markup=(STATIC / "index.html").read_text(encoding="utf-8"),
        script=(STATIC / "app.js").read_text(encoding="utf-8"),
        style=(STATIC / "style.css").read_text(encoding="utf-8"),
        library=CYTOSCAPE_JS.read_text(encoding="utf-8"),
    )


# Every page loads only from this service: a script or style that asks for anything else
# (a CDN, a font host, an image or analytics beacon inside a library) is refused by the
# browser before a request is made. Inline styles are allowed (the libraries set them);
# inline scripts are not (the pages' code is in /static/pages/).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
)

NAV = [
    ("/", "Network"),
    ("/sparql", "SPARQL"),
    ("/docs", "API (Swagger UI)"),
    ("/redoc", "API (ReDoc)"),
]


@dataclass(frozen=True)
class Library:
    """A front-end package: its npm name, the folder of its files and the files served."""

    title: str
    package: str
    folder: str
    files: frozenset[str]

    def path(self, name: str) -> Path | None:
        """The file's path when it is one this library serves, else None."""
        return NODE_MODULES / self.package / self.folder / name if name in self.files else None

    def installed(self) -> bool:
        return all((NODE_MODULES / self.package / self.folder / f).is_file() for f in self.files)

    def missing(self) -> str:
        return (
            f"{self.title} is not installed, so this page cannot be shown. {install_hint()} "
            "The API works without it."
        )


LIBRARIES = {
    "yasgui": Library(
        "YASGUI", "@zazuko/yasgui", "build", frozenset({"yasgui.min.js", "yasgui.min.css"})
    ),
    "swagger-ui": Library(
        "Swagger UI", "swagger-ui-dist", "", frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})
    ),
    "redoc": Library("ReDoc", "redoc", "bundles", frozenset({"redoc.standalone.js"})),
}


def vendor(library: str, name: str) -> str:
    """The URL a page loads a library file from."""
    return f"/static/vendor/{library}/{name}"


def page(
    title: str, subtitle: str, *, head: str, body: str, library: str, state: str = "loading"
) -> str:
    """A whole page: the offline policy, the shared header and stylesheet, `head` (the
    library and the page's own script), then `body`. The notice holds the missing-library
    message; the page's script shows it when the library did not load."""
    nav = "".join(f'<a href="{href}">{escape(label)}</a>' for href, label in NAV)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{CSP}">
  <title>{escape(title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/pages/pages.css">
  <script src="/static/pages/service.js" type="module"></script>
  {head}
</head>
<body data-state="{state}" class="evkg-page">
  <header class="evkg-bar">
    <h1>evkg <span>{escape(subtitle)}</span></h1>
    <nav class="evkg-nav" aria-label="Pages">{nav}</nav>
    <span class="evkg-served" role="status"></span>
  </header>
  <div id="notice" class="evkg-notice" hidden>{escape(LIBRARIES[library].missing())}</div>
  {body}
</body>
</html>
"""
