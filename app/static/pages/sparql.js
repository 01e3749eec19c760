// The SPARQL page: YASGUI on this endpoint, with evkg's prefixes, completion over evkg's
// vocabulary (instead of YASGUI's remote vocabulary search), the worked examples as named
// tabs, links from minted IRIs to this service's Linked Data pages, and the write token
// (kept for this browser tab only) sent with every request when it is set.

import { libraryLoaded, served, showMissingLibrary } from "/static/pages/service.js";

const config = JSON.parse(document.getElementById("sparql-config").textContent);
const TOKEN_KEY = "evkg-token";
const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function tokenHeaders() {
  return token() ? { Authorization: `Bearer ${token()}` } : {};
}

// -- completion over evkg's own vocabulary ---------------------------------------------

function localName(iri) {
  return iri.split(/[#/]/).pop();
}

function prefixedOrFull(yasqe, iri) {
  const declared = yasqe.getPrefixesFromQuery();
  for (const [prefix, namespace] of Object.entries(declared)) {
    const rest = iri.slice(namespace.length);
    if (iri.startsWith(namespace) && /^[A-Za-z_][\w-]*$/.test(rest)) return `${prefix}:${rest}`;
  }
  return `<${iri}>`;
}

function termCompleter(Yasqe, kind) {
  const terms = config.terms[kind];
  Yasqe.forkAutocompleter(kind, {
    name: `evkg-${kind}`,
    bulk: false,
    persistenceId: null,
    // What was typed, as an IRI when its prefix is declared (evkg:so -> https://...#so),
    // else as typed: matched against whole IRIs, prefixed names and local names.
    get: (yasqe, typedToken) => {
      const typed = (typedToken?.autocompletionString || "").trim();
      if (!typed) return terms.slice(0, 100);
      const lower = typed.toLowerCase();
      const prefixed = (iri) => Object.entries(config.prefixes)
        .filter(([, ns]) => iri.startsWith(ns)).map(([p, ns]) => `${p}:${iri.slice(ns.length)}`);
      return terms.filter((iri) => iri.startsWith(typed)
        || localName(iri).toLowerCase().startsWith(lower)
        || prefixed(iri).some((name) => name.toLowerCase().startsWith(lower))).slice(0, 100);
    },
    postProcessSuggestion: (yasqe, _typedToken, iri) => prefixedOrFull(yasqe, iri),
  }, false);
}

function prefixCompleter(Yasqe) {
  const bundled = Yasqe.Autocompleters.prefixes;
  const ours = Object.entries(config.prefixes).map(([p, ns]) => `${p}: <${ns}>`);
  const names = new Set(Object.keys(config.prefixes));
  Yasqe.forkAutocompleter("prefixes", {
    name: "evkg-prefixes",
    persistenceId: null,
    // evkg's prefixes first, then the well-known ones the editor ships (none fetched)
    get: async (yasqe) => {
      const others = await Promise.resolve(bundled.get(yasqe)).catch(() => []);
      return [...ours, ...others.filter((line) => !names.has(line.split(":")[0]))];
    },
  }, false);
}

// -- links to this service's Linked Data pages ----------------------------------------

// Result tables link every IRI to itself; minted ones (https://evkg.org/id/...) resolve
// here (/id/...), which also works on a machine that cannot reach evkg.org.
function linkToLinkedData(root) {
  const { base, path } = config.linkedData;
  const rewrite = (scope) => {
    for (const a of scope.querySelectorAll?.("a.iri") ?? []) {
      const href = a.getAttribute("href") || "";
      if (href.startsWith(base)) {
        a.setAttribute("href", new URL(path + href.slice(base.length), location.origin).href);
        a.dataset.iri = href;
      }
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) rewrite(node.parentElement || node);
      }
    }
  }).observe(root, { childList: true, subtree: true });
  rewrite(root);
}

// -- examples as named tabs -------------------------------------------------------------

function openExample(yasgui, example) {
  const open = yasgui.tabNameTaken(example.name);
  if (open) {
    yasgui.selectTabId(open.getId());
    return open;
  }
  return yasgui.addTab(true, { name: example.name, yasqe: { value: example.query } });
}

function setUpTools(yasgui) {
  for (const button of document.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      openExample(yasgui, config.examples[Number(button.dataset.example)]);
    });
  }
  const input = $("token");
  input.form.addEventListener("submit", (event) => event.preventDefault());
  input.value = token();
  input.addEventListener("input", () => {
    if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value);
    else sessionStorage.removeItem(TOKEN_KEY);
  });
  served.then((facts) => {
    if (!facts.writable) {
      input.disabled = true;
      input.placeholder = "read-only service";
    }
  }, () => {});
}

async function start() {
  if (!(await libraryLoaded(() => typeof window.Yasgui === "function"))) {
    showMissingLibrary();
    return;
  }
  const Yasgui = window.Yasgui;
  const Yasqe = Yasgui.Yasqe;
  prefixCompleter(Yasqe);
  termCompleter(Yasqe, "property");
  termCompleter(Yasqe, "class");
  const completers = ["variables", "evkg-prefixes", "evkg-property", "evkg-class"];
  Yasqe.defaults.autocompleters = completers;
  Yasgui.defaults.yasqe.autocompleters = completers;

  const root = $("yasgui");
  const yasgui = new Yasgui(root, {
    copyEndpointOnNewTab: false,
    autoAddOnInit: false,
    tabName: "Query",
    requestConfig: { endpoint: config.endpoint, method: "POST", headers: tokenHeaders },
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    yasqe: { value: config.newTab, prefixCcApi: null },
    yasr: { prefixes: config.resultPrefixes },
  });
  // First visit: one tab per worked example. Later visits keep the tabs as they were left.
  if (!yasgui.persistentConfig.getTabs().length) {
    const tabs = config.examples.map((example) => openExample(yasgui, example));
    yasgui.selectTabId(tabs[0].getId());
  }
  linkToLinkedData(root);
  setUpTools(yasgui);
  window.evkg = { yasgui, config, openExample: (n) => openExample(yasgui, config.examples[n]) };
  document.body.dataset.state = "ready";
}

start();
