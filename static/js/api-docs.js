// Starts Swagger UI (swagger-ui-dist from npm) on /api/docs. A file of our own rather than
// an inline script, so the page runs under the site's Content-Security-Policy.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // The validator badge would fetch from validator.swagger.io: not from our pages.
    validatorUrl: null,
  });
})();
