// The actor-network page: draws /network with server-computed positions, filters it,
// expands neighbourhoods on click and shows the events behind an edge. The offline file
// (`evkg network --out FILE.html`) is this page with the view inlined as
// `window.evkgOffline`: it draws that, and what needs the service is hidden.

const KIND_COLOURS = {
  "state": "#1f618d", "government-body": "#2e86c1", "armed-force": "#117a65",
  "militia": "#b9770e", "armed-group": "#922b21", "person": "#7d3c98",
  "legislature": "#5499c7", "international-organisation": "#148f77", "media": "#717d7e",
  "other": "#95a5a6",
};
const COUNTRY_SHAPES = { USA: "ellipse", IRN: "round-diamond", IRQ: "round-rectangle" };
const OTHER_SHAPE = "hexagon";
// Views above this size are drawn lean: straight "haystack" edges without arrows, and labels
// only on the most central actors until the user zooms in far enough to read them all.
const LARGE_NODES = 500, LARGE_EDGES = 1000;
const TOP_LABELS = 40;
const LABEL_ZOOM = 0.65;  // 11 px labels read from here on (min-zoomed-font-size 7)
const GOLDSTEIN_STEPS = 2;  // edge colours in steps of 0.5 on the -10..10 scale
// Edges coloured by the quad class most of their events have (0: none known).
const QUAD_COLOURS = { 1: "#7fb3d5", 2: "#1f618d", 3: "#e59866", 4: "#c0392b", 0: "#b3b6b7" };
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation",
  3: "verbal conflict", 4: "material conflict", 0: "unknown" };
const LEGEND_SHAPES = { ellipse: "ellipse", "round-diamond": "diamond", "round-rectangle": "square",
  hexagon: "hexagon" };
const MISSING_LIBRARY = "Cytoscape.js is not installed, so the network cannot be drawn. " +
  "Install the page's packages with `npm ci` in the project folder (or run " +
  "`bash scripts/setup.sh`), then reload. The API works without it.";

const $ = (id) => document.getElementById(id);
const state = { months: [], loads: 0, focus: null, view: null };
// `/?max_nodes=N` draws at most N actors (the most central first; the server's default
// is 2,000); clicking an actor then grows the view by its neighbourhood.
const MAX_NODES = new URLSearchParams(location.search).get("max_nodes");
const OFFLINE = window.evkgOffline || null;  // the view, in the compact shape, or null

function viewParams() {
  const p = filterParams();
  if (MAX_NODES) p.set("max_nodes", MAX_NODES);
  return p;
}

// The view in its compact shape (a quarter of the node-link JSON the downloads hold).
function fetchView() {
  if (OFFLINE) return Promise.resolve(expand(OFFLINE));
  const p = viewParams();
  p.set("compact", "true");
  return getJson(`/network?${p}`).then(expand);
}

// The compact shape back into edge objects: rows of `edge_fields`, with source and target
// as indexes into `nodes`.
function expand(body) {
  const at = Object.fromEntries(body.edge_fields.map((f, i) => [f, i]));
  const nodes = body.nodes;
  const edges = body.edges.map((row) => {
    const source = nodes[row[at.source]].id, target = nodes[row[at.target]].id;
    return { id: `${source}|${target}`, source, target, count: row[at.count],
      goldstein: row[at.goldstein], quad: row[at.quad] };
  });
  return { meta: body.meta, nodes, edges };
}
let cy = null;

// -- helpers -------------------------------------------------------------------------

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => (
    { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function mix(a, b, t) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return "#" + pa.map((v, i) => Math.round(v + (pb[i] - v) * t).toString(16)
    .padStart(2, "0")).join("");
}

// Conflict (Goldstein -10) red, neutral grey, cooperation (+10) blue.
function toneOf(goldstein) {
  const g = Math.max(-10, Math.min(10, goldstein || 0));
  return g < 0 ? mix("#b3b6b7", "#c0392b", -g / 10) : mix("#b3b6b7", "#2471a3", g / 10);
}

function filterParams() {
  const p = new URLSearchParams();
  const from = Number($("time-from").value), to = Number($("time-to").value);
  if (state.months.length) {
    if (from > 0) p.set("since", state.months[Math.min(from, to)]);
    if (to < state.months.length - 1) p.set("until", state.months[Math.max(from, to)]);
  }
  for (const id of ["root", "quad"]) {  // several may be picked: any of them matches
    for (const option of $(id).selectedOptions) p.append(id, option.value);
  }
  if ($("document").value) p.set("document", $("document").value);
  const min = Number($("min-events").value);
  if (min > 1) p.set("min_events", String(min));
  return p;
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
    throw new Error(`${url}: ${response.status} ${typeof detail === "string" ? detail
      : JSON.stringify(detail)}`);
  }
  return response.json();
}

function setStatus(text) { $("status").textContent = text; }

function documentLink(iri) {
  return `/documents/${encodeURIComponent(iri.split("/").pop())}`;
}

// -- drawing -------------------------------------------------------------------------

// Colours and shapes are classes (one stylesheet rule each), not values parsed per element:
// Cytoscape then shares the computed style among elements of one kind, country or tone.
function kindClass(kind) { return `k-${KIND_COLOURS[kind] ? kind : "other"}`; }
function countryClass(country) { return `c-${COUNTRY_SHAPES[country] ? country : "other"}`; }
function toneStep(goldstein) {
  const g = Math.max(-10, Math.min(10, goldstein || 0));
  return Math.round(g * GOLDSTEIN_STEPS) + 10 * GOLDSTEIN_STEPS;
}

function toElements(view, maxWeight, maxCount, top = new Set()) {
  const nodes = view.nodes.map((n) => ({
    group: "nodes",
    data: { ...n, size: 16 + 44 * Math.sqrt(n.weight / maxWeight) },
    position: { x: n.x, y: n.y },
    classes: `${kindClass(n.kind)} ${countryClass(n.country)}${top.has(n.id) ? " top" : ""}`,
  }));
  const edges = view.edges.map((e) => ({
    group: "edges",
    data: { ...e, width: 1 + 9 * Math.sqrt(e.count / maxCount) },
    classes: `g${toneStep(e.goldstein)} q${e.quad || 0}`,
  }));
  return nodes.concat(edges);
}

// One rule per tone step (by mean Goldstein) or per quad class, whichever colours edges.
function edgeColourRules(arrows, colourBy) {
  const rule = (selector, colour) => ({ selector, style: arrows
    ? { "line-color": colour, "target-arrow-color": colour } : { "line-color": colour } });
  if (colourBy === "quad") {
    return Object.entries(QUAD_COLOURS).map(([q, colour]) => rule(`edge.q${q}`, colour));
  }
  const rules = [];
  for (let step = 0; step <= 20 * GOLDSTEIN_STEPS; step++) {
    rules.push(rule(`edge.g${step}`, toneOf(step / GOLDSTEIN_STEPS - 10)));
  }
  return rules;
}

function colourBy() { return $("edge-colour").value === "quad" ? "quad" : "goldstein"; }

// `topFont`: the font size (in graph units) at which the top actors' labels read at the
// zoom the view opens with.
function styleFor(large, topFont) {
  const text = { label: "data(label)", "text-valign": "bottom", "text-margin-y": 3,
    color: "#1c2833" };
  const sheet = [
    { selector: "node", style: { width: "data(size)", height: "data(size)" } },
    ...Object.entries(KIND_COLOURS).map(([kind, colour]) => (
      { selector: `node.k-${kind}`, style: { "background-color": colour } })),
    ...Object.entries({ ...COUNTRY_SHAPES, other: OTHER_SHAPE }).map(([country, shape]) => (
      { selector: `node.c-${country}`, style: { shape } })),
  ];
  if (large) {
    sheet.push(
      { selector: "node.top", style: { ...text, "font-size": topFont,
        "text-outline-color": "#fff", "text-outline-width": Math.max(1, topFont / 10) } },
      { selector: "node.named", style: { ...text, "font-size": 11, "min-zoomed-font-size": 7,
        "text-outline-width": 0 } },
      { selector: "edge", style: { width: "data(width)", "curve-style": "haystack",
        opacity: 0.85 } },
    );
  } else {
    sheet.push(
      { selector: "node", style: { ...text, "font-size": 18, "text-outline-color": "#fff",
        "text-outline-width": 2 } },
      { selector: "edge", style: { width: "data(width)", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "arrow-scale": 0.8, opacity: 0.85 } },
    );
  }
  return sheet.concat(edgeColourRules(!large, colourBy()), [
    { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } },
    { selector: ".match", style: { "border-width": 4, "border-color": "#f1c40f" } },
    { selector: "node.focus", style: { "border-width": 4, "border-color": "#1c2833" } },
    { selector: "edge.picked", style: { "line-style": "dashed", opacity: 1 } },
  ]);
}

// The zoom and pan that fit the nodes, computed from the positions the server sent: letting
// Cytoscape fit would measure every element (labels included) before the first frame.
function fitViewport(nodes, width, height, padding = 30) {
  if (!nodes.length) return { zoom: 1, pan: { x: width / 2, y: height / 2 } };
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const n of nodes) {
    x1 = Math.min(x1, n.x); x2 = Math.max(x2, n.x);
    y1 = Math.min(y1, n.y); y2 = Math.max(y2, n.y);
  }
  const margin = 30;  // half the largest node
  const w = x2 - x1 + 2 * margin, h = y2 - y1 + 2 * margin;
  const zoom = Math.max(0.02, Math.min(4, (width - 2 * padding) / w,
    (height - 2 * padding) / h));
  return { zoom, pan: { x: width / 2 - zoom * (x1 + x2) / 2,
    y: height / 2 - zoom * (y1 + y2) / 2 } };
}

// Large views label every actor once zoomed in far enough to read them, and only the top
// ones before (one class flip when the zoom crosses the threshold, not per frame).
function labelOnZoom() {
  const all = cy.zoom() >= LABEL_ZOOM;
  if (all === state.allLabels) return;
  state.allLabels = all;
  cy.batch(() => (all ? cy.nodes().addClass("named") : cy.nodes().removeClass("named")));
}

function draw(view) {
  const t0 = performance.now();
  state.view = view;
  let maxWeight = 1, maxCount = 1;
  for (const n of view.nodes) maxWeight = Math.max(maxWeight, n.weight);
  for (const e of view.edges) maxCount = Math.max(maxCount, e.count);
  const large = view.nodes.length > LARGE_NODES || view.edges.length > LARGE_EDGES;
  const top = new Set(large ? [...view.nodes].sort((a, b) => b.weight - a.weight)
    .slice(0, TOP_LABELS).map((n) => n.id) : []);
  const elements = toElements(view, maxWeight, maxCount, top);
  const built = performance.now() - t0;
  state.maxWeight = maxWeight;
  state.maxCount = maxCount;
  state.large = large;
  state.allLabels = false;
  if (cy) cy.destroy();
  const box = $("cy").getBoundingClientRect();
  const { zoom, pan } = fitViewport(view.nodes, box.width, box.height);
  state.topFont = Math.max(11, Math.min(120, 9 / zoom));
  cy = cytoscape({
    container: $("cy"), elements, layout: { name: "preset", fit: false }, zoom, pan,
    style: styleFor(large, state.topFont), wheelSensitivity: 0.3,
    minZoom: 0.02, maxZoom: 4, textureOnViewport: large, hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : "auto", motionBlur: false,
  });
  window.evkg.cy = cy;
  if (OFFLINE) window.cy = cy;  // as the offline file has always offered it
  // Cytoscape's first frame otherwise paints every element into its layer textures before
  // anything shows (10-20% of a large first draw); this lets it build them over the next
  // frames instead, as it does after later changes. The flag is internal to the library:
  // should a later version drop it, the page draws the same, only later.
  const layers = large && cy.renderer().data && cy.renderer().data.lyrTxrCache;
  if (layers && layers.firstGet === true) layers.firstGet = false;
  // where the first draw's time goes (bench/bench_draw.py reports these)
  window.evkg.marks = { fetched: window.evkg.fetchedAt, elements: built,
    created: performance.now() - t0 };
  cy.one("render", () => {
    window.evkg.drawnAt = performance.now();
    window.evkg.marks.drawn = window.evkg.drawnAt - t0;
    state.filtersReady.then(() => {
      state.loads += 1;
      document.body.dataset.loads = String(state.loads);
      document.body.dataset.state = "ready";
      if (OFFLINE) window.evkgReady = true;
    });
    // the search box's suggestions are not needed for the first frame
    setTimeout(() => {
      $("actor-names").innerHTML = view.nodes.map((n) =>
        `<option value="${escapeHtml(n.label)}">`).join("");
    }, 0);
  });
  if (large) cy.on("zoom", labelOnZoom);
  cy.on("tap", "node", (ev) => focusActor(ev.target.id()));
  cy.on("tap", "edge", (ev) => showEdge(ev.target));
  cy.on("tap", (ev) => { if (ev.target === cy) clearFocus(); });
  const m = view.meta;
  setStatus(`${m.nodes} actors, ${m.edges} dyads` + (m.truncated
    ? ` (the ${m.nodes} most central of ${m.total_nodes}; click to expand)` : ""));
  updateDownloads();
}

async function load(pending = null) {
  document.body.dataset.state = "loading";
  state.focus = null;
  try {
    const view = await (pending || fetchView());
    window.evkg.fetchedAt = performance.now();
    draw(view);
    if ($("search").value) search($("search").value);
  } catch (err) {
    document.body.dataset.state = "error";
    setStatus(String(err.message || err));
  }
}

// -- actor and edge details ----------------------------------------------------------

function clearFocus() {
  state.focus = null;
  cy.elements().removeClass("faded focus picked");
  $("panel").innerHTML = '<p class="hint">Click an actor to expand its neighbourhood, ' +
    "or an edge to read the events behind it.</p>";
}

// The REST neighbourhood of an actor, in the page's compact shape and under the page's
// filters. The route takes the actor's id: the last segment of its minted IRI.
function neighbourhoodUrl(iri) {
  const params = filterParams();
  params.set("compact", "true");
  return `/actors/${encodeURIComponent(iri.split("/").pop())}/neighbourhood?${params}`;
}

async function focusActor(id) {
  state.focus = id;
  let hood;
  try {
    hood = OFFLINE ? drawnNeighbourhood(id) : expand(await getJson(neighbourhoodUrl(id)));
  } catch (err) {
    $("panel").textContent = String(err.message || err);
    return;
  }
  if (state.focus !== id) return;
  const centre = cy.getElementById(id).position();
  const fresh = hood.nodes.filter((n) => cy.getElementById(n.id).empty());
  fresh.forEach((n, i) => {  // newcomers go on a ring around the actor
    const angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
    n.x = centre.x + 160 * Math.cos(angle);
    n.y = centre.y + 160 * Math.sin(angle);
  });
  const freshEdges = hood.edges.filter((e) => cy.getElementById(e.id).empty());
  const added = toElements({ nodes: fresh, edges: freshEdges }, state.maxWeight,
    state.maxCount);
  const newcomers = cy.add(added);
  if (state.allLabels) newcomers.nodes().addClass("named");  // zoomed in: label them too
  const ids = new Set(hood.nodes.map((n) => n.id));
  const keep = cy.nodes().filter((n) => ids.has(n.id()));
  const shown = keep.union(keep.edgesWith(keep));
  cy.elements().removeClass("focus picked").addClass("faded");
  shown.removeClass("faded");
  cy.getElementById(id).addClass("focus");
  document.body.dataset.expanded = id;
  showActor(id, hood);
}

// Offline, an actor's neighbourhood is what the view holds of it: its edges and the actors
// at their other ends.
function drawnNeighbourhood(id) {
  const edges = state.view.edges.filter((e) => e.source === id || e.target === id);
  const ids = new Set([id, ...edges.flatMap((e) => [e.source, e.target])]);
  return { nodes: state.view.nodes.filter((n) => ids.has(n.id)), edges };
}

function showActor(id, hood) {
  const node = cy.getElementById(id).data();
  const me = hood.nodes.find((n) => n.id === id) || node;
  const out = hood.edges.filter((e) => e.source === id);
  const inc = hood.edges.filter((e) => e.target === id);
  const label = (other) => escapeHtml(cy.getElementById(other).data("label") || other);
  const item = (e, other) => `<li>${label(other)}: ${e.count} event${e.count > 1 ? "s" : ""},
    mean Goldstein ${e.goldstein}</li>`;
  $("panel").innerHTML = `<h3 id="actor-title">${escapeHtml(me.label)}</h3>
    <dl>
      <dt>Kind</dt><dd>${escapeHtml(me.kind)}</dd>
      <dt>Country</dt><dd>${escapeHtml(me.country || "–")}</dd>
      <dt>Sector</dt><dd>${escapeHtml(me.sector || "–")}</dd>
      <dt>Events</dt><dd>${me.weight}</dd>
      <dt>Also</dt><dd>${escapeHtml((me.aliases || []).join(", ") || "–")}</dd>
      <dt>IRI</dt><dd><code>${escapeHtml(id)}</code></dd>
    </dl>
    <h3>Acts on</h3><ul class="neighbours">${out.map((e) => item(e, e.target)).join("")
      || "<li>no one</li>"}</ul>
    <h3>Acted on by</h3><ul class="neighbours">${inc.map((e) => item(e, e.source)).join("")
      || "<li>no one</li>"}</ul>`;
}

function highlighted(sentence, marks) {
  let html = "", at = 0;
  for (const m of marks) {
    html += escapeHtml(sentence.slice(at, m.start));
    html += `<mark class="${m.kind}">${escapeHtml(sentence.slice(m.start, m.end))}</mark>`;
    at = m.end;
  }
  return html + escapeHtml(sentence.slice(at));
}

async function showEdge(edge) {
  const d = edge.data();
  const params = filterParams();
  params.set("source", d.source);
  params.set("target", d.target);
  cy.elements().removeClass("picked");
  edge.addClass("picked");
  const from = cy.getElementById(d.source).data("label");
  const to = cy.getElementById(d.target).data("label");
  const summary = `mean Goldstein ${d.goldstein}, mostly ${QUAD_NAMES[d.quad || 0]}`;
  if (OFFLINE) {  // the events and their sentences are the service's
    $("panel").innerHTML = `<h3 id="edge-title">${escapeHtml(from)} → ${escapeHtml(to)}</h3>
      <p>${d.count} happening${d.count === 1 ? "" : "s"}, ${summary}</p>`;
    return;
  }
  $("panel").innerHTML = `<h3>${escapeHtml(from)} → ${escapeHtml(to)}</h3><p>Loading…</p>`;
  let body;
  try {
    body = await getJson(`/network/edge?${params}`);
  } catch (err) {
    $("panel").textContent = String(err.message || err);
    return;
  }
  // the reports of one happening together, happenings in the order of their first report
  const groups = new Map();
  for (const e of body.events) {
    if (!groups.has(e.happening)) groups.set(e.happening, []);
    groups.get(e.happening).push(e);
  }
  const report = (e) => `<div class="event">
      <div class="meta"><time>${escapeHtml(e.date || "undated")}</time> ·
        CAMEO <code>${escapeHtml(e.code)}</code> ${escapeHtml(e.label || "")}
        ${e.modality === "asserted" ? "" : `· <em>${escapeHtml(e.modality)}</em>`}</div>
      <blockquote class="sentence">${highlighted(e.sentence || "", e.marks)}</blockquote>
      <a href="${documentLink(e.document || "")}" target="_blank" rel="noopener">
        ${escapeHtml(e.document_title || e.document || "document")}</a>
    </div>`;
  const happenings = [...groups.entries()].map(([iri, reports]) => reports.length === 1
    ? report(reports[0])
    : `<section class="happening"><div class="meta">one happening, ${reports.length} reports ·
        <a href="/happenings/${encodeURIComponent(iri.split("/").pop())}" target="_blank"
          rel="noopener">side by side</a></div>${reports.map(report).join("")}</section>`);
  const n = groups.size, r = body.events.length;
  $("panel").innerHTML = `<h3 id="edge-title">${escapeHtml(from)} → ${escapeHtml(to)}</h3>
    <p>${n} happening${n === 1 ? "" : "s"} (${r} report${r === 1 ? "" : "s"}),
      ${summary}</p>${happenings.join("")}`;
}

// -- search --------------------------------------------------------------------------

function search(text) {
  const q = text.trim().toLowerCase();
  cy.nodes().removeClass("match");
  if (!q) { if (!state.focus) cy.elements().removeClass("faded"); return cy.collection(); }
  const hits = cy.nodes().filter((n) => n.data("label").toLowerCase().includes(q) ||
    (n.data("aliases") || []).some((a) => a.toLowerCase().includes(q)));
  cy.elements().addClass("faded");
  hits.removeClass("faded").addClass("match");
  return hits;
}

// -- filters -------------------------------------------------------------------------

function fillMonths(histogram) {
  if (!histogram.length) return [];
  const [y0, m0] = histogram[0].month.split("-").map(Number);
  const [y1, m1] = histogram[histogram.length - 1].month.split("-").map(Number);
  const months = [];
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  return months;
}

function renderTime() {
  const from = Number($("time-from").value), to = Number($("time-to").value);
  const lo = Math.min(from, to), hi = Math.max(from, to);
  [...$("histogram").children].forEach((bar, i) => bar.classList.toggle("in", i >= lo && i <= hi));
  $("time-label").textContent = state.months.length
    ? `${state.months[lo]} to ${state.months[hi]}` : "no dated events";
}

function updateDownloads() {
  const q = viewParams().toString();
  for (const fmt of ["graphml", "gexf", "json"]) {
    $(`dl-${fmt}`).href = `/network.${fmt}${q ? "?" + q : ""}`;
  }
}

async function setUpFilters() {
  const f = await getJson("/network/facets");
  const counts = Object.fromEntries(f.histogram.map((h) => [h.month, h]));
  state.months = fillMonths(f.histogram);
  const top = Math.max(1, ...f.histogram.map((h) => h.count));
  const told = (m) => counts[m] ? `${counts[m].count} happenings, ${counts[m].reports} reports`
    : "nothing";
  $("histogram").innerHTML = state.months.map((m) => `<div title="${m}: ${told(m)}"
    style="height:${(100 * (counts[m]?.count || 0)) / top}%"></div>`).join("");
  for (const id of ["time-from", "time-to"]) {
    $(id).max = String(Math.max(0, state.months.length - 1));
  }
  $("time-to").value = $("time-to").max;
  $("root").innerHTML = f.roots.map((r) =>
    `<option value="${r.code}">${r.code} ${escapeHtml(r.label.toLowerCase())}</option>`).join("");
  $("quad").innerHTML = f.quads.map((q) =>
    `<option value="${q.code}">${q.code} ${escapeHtml(q.label)}</option>`).join("");
  $("document").innerHTML += f.documents.map((d) =>
    `<option value="${escapeHtml(d.iri)}">${escapeHtml(d.issued || "")} ${escapeHtml(d.title)}
    </option>`).join("");
  renderTime();
  let timer = null;
  const reload = () => { clearTimeout(timer); timer = setTimeout(load, 150); };
  for (const id of ["time-from", "time-to"]) {
    $(id).addEventListener("input", () => { renderTime(); reload(); });
  }
  for (const id of ["root", "quad", "document", "min-events"]) {
    $(id).addEventListener("change", reload);
  }
  $("reset").addEventListener("click", () => {
    $("time-from").value = "0";
    $("time-to").value = $("time-to").max;
    for (const id of ["root", "quad"]) {
      for (const option of $(id).options) option.selected = false;
    }
    $("document").value = "";
    $("min-events").value = "1";
    renderTime();
    reload();
  });
}

// Recolour the edges in place (no refetch, no new instance) and switch the legend.
function setEdgeColour() {
  const quad = colourBy() === "quad";
  $("legend-goldstein").hidden = quad;
  $("legend-quads").hidden = !quad;
  document.body.dataset.edgeColour = colourBy();
  if (cy) cy.style(styleFor(state.large, state.topFont));
}

function renderLegend() {
  $("legend-quads").innerHTML = [1, 2, 3, 4, 0].map((q) => `<li><span class="swatch line"
    style="background:${QUAD_COLOURS[q]}"></span>${q ? q + " " : ""}${QUAD_NAMES[q]}</li>`)
    .join("");
  $("edge-colour").addEventListener("change", setEdgeColour);
  setEdgeColour();  // the browser may have kept the choice of a previous visit
  $("legend-kinds").innerHTML = Object.entries(KIND_COLOURS).map(([kind, colour]) =>
    `<li><span class="swatch" style="background:${colour}"></span>${kind}</li>`).join("");
  const shapes = { ...COUNTRY_SHAPES, "other countries": OTHER_SHAPE };
  $("legend-countries").innerHTML = Object.entries(shapes).map(([country, shape]) =>
    `<li><span class="shape ${LEGEND_SHAPES[shape]}"></span>${country}</li>`).join("");
}

function setUpDownloadsAndSearch() {
  $("dl-png").addEventListener("click", async (ev) => {
    ev.preventDefault();
    const blob = await cy.png({ output: "blob-promise", full: true, bg: "#ffffff", scale: 2 });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "evkg-network.png";
    document.body.append(a);
    a.click();
    a.remove();
  });
  $("search").addEventListener("input", (ev) => search(ev.target.value));
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const hits = search(ev.target.value);
    if (hits.length) {
      cy.animate({ center: { eles: hits[0] }, duration: 300 });
      focusActor(hits[0].id());
    }
  });
}

// -- start ---------------------------------------------------------------------------

// The library is a deferred script after this module, so it has run (or failed to load)
// by DOMContentLoaded; the first /network request is already on its way by then.
function libraryLoaded() {
  return new Promise((resolve) => {
    const check = () => resolve(typeof window.cytoscape === "function");
    if (typeof window.cytoscape === "function") check();
    else document.addEventListener("DOMContentLoaded", check, { once: true });
  });
}

async function start() {
  window.evkg = { state, cy: null, load, focusActor };
  // The view is fetched first, while the library loads and the filter controls are set up;
  // it is drawn as soon as it and the library are here (the facets are not waited for).
  const first = fetchView();
  first.catch(() => {});
  if (OFFLINE) {
    for (const online of document.querySelectorAll("[data-online]")) online.hidden = true;
    state.filtersReady = Promise.resolve();
  } else {
    state.filtersReady = setUpFilters().catch((err) => setStatus(String(err.message || err)));
  }
  renderLegend();
  setUpDownloadsAndSearch();
  if (!(await libraryLoaded())) {
    $("notice").hidden = false;
    $("notice").textContent = MISSING_LIBRARY;
    document.body.dataset.state = "no-library";
    setStatus("network library missing");
    return;
  }
  await load(first);
}

start();
