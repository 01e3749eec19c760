// /redoc: ReDoc over this service's OpenAPI document, from the local package. Its sidebar
// credit loads a logo from a CDN; the page's Content-Security-Policy refuses it and ReDoc
// then leaves the image out.

import { libraryLoaded, showMissingLibrary } from "/static/pages/service.js";

async function start() {
  const root = document.getElementById("redoc");
  if (!(await libraryLoaded(() => typeof window.Redoc?.init === "function"))) {
    showMissingLibrary();
    return;
  }
  const options = {
    scrollYOffset: ".evkg-bar",  // the page's header stays on top; sections scroll below it
    expandResponses: "200,201",
    pathInMiddlePanel: true,
  };
  window.Redoc.init(root.dataset.openapi, options, root, (error) => {
    document.body.dataset.state = error ? "error" : "ready";
    if (error) {
      const notice = document.getElementById("notice");
      notice.textContent = `The API description could not be read: ${error.message || error}`;
      notice.hidden = false;
    }
  });
}

start();
