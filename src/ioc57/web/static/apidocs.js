// /api/v1/docs: Swagger UI over the app's own OpenAPI document, nothing fetched from elsewhere.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // the badge would ask validator.swagger.io
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
});
