// Shared by every page: marks the current page in the header's links and names the store
// with the documents and events it serves (from /health and /stats). `served` resolves to
// those facts, for pages that need more of them (the SPARQL page: is the service writable).

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response.json();
}

const number = new Intl.NumberFormat("en");

export const served = Promise.all([getJson("/health"), getJson("/stats")])
  .then(([health, stats]) => ({ ...health, ...stats }));

// Whether the page's library has loaded: it is a deferred script, so by DOMContentLoaded it
// has run (or failed to load) and `isLoaded()` tells which.
export function libraryLoaded(isLoaded) {
  return new Promise((resolve) => {
    const check = () => resolve(isLoaded());
    if (document.readyState !== "loading") check();
    else document.addEventListener("DOMContentLoaded", check, { once: true });
  });
}

// The page's notice that its library is missing, shown; the body says so for the tests.
export function showMissingLibrary() {
  document.getElementById("notice").hidden = false;
  document.body.dataset.state = "no-library";
}

function markCurrentPage() {
  for (const link of document.querySelectorAll(".evkg-nav a")) {
    if (link.getAttribute("href") === location.pathname) link.setAttribute("aria-current", "page");
  }
}

async function showServed() {
  const target = document.querySelector(".evkg-served");
  if (!target) return;
  try {
    const facts = await served;
    target.textContent = `${facts.store} · ${number.format(facts.documents)} documents · ` +
      `${number.format(facts.events)} events`;
    target.dataset.documents = facts.documents;
    target.dataset.events = facts.events;
  } catch (err) {
    target.textContent = `store unavailable (${err.message || err})`;
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => { markCurrentPage(); showServed(); });
} else {
  markCurrentPage();
  showServed();
}
