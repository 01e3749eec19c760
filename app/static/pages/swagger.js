// /docs: Swagger UI over this service's OpenAPI document, from the local package.

import { libraryLoaded, showMissingLibrary } from "/static/pages/service.js";

async function start() {
  const root = document.getElementById("swagger-ui");
  if (!(await libraryLoaded(() => typeof window.SwaggerUIBundle === "function"))) {
    showMissingLibrary();
    return;
  }
  const SwaggerUIBundle = window.SwaggerUIBundle;
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,  // the default sends the document to a public validator
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    onComplete: () => { document.body.dataset.state = "ready"; },
  });
}

start();
