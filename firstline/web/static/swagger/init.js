// Kept out of the page so the Content-Security-Policy can forbid inline scripts.
window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", validatorUrl: null });
