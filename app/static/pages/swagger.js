// /docs: Swagger UI over this service's OpenAPI document, from the local package.

function libraryLoaded() {
  return new Promise((resolve) => {
    const check = () => resolve(typeof window.SwaggerUIBundle === "function");
    if (document.readyState !== "loading") check();
    else document.addEventListener("DOMContentLoaded", check, { once: true });
  });
}

async function start() {
  const root = document.getElementById("swagger-ui");
  if (!(await libraryLoaded())) {
    document.getElementById("notice").hidden = false;
    document.body.dataset.state = "no-library";
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
