// Lists the API's operations from its own OpenAPI schema (no outside requests).
(function () {
  "use strict";
  var box = document.getElementById("api-endpoints");
  if (!box) return;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  fetch(box.getAttribute("data-schema-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (schema) {
      box.textContent = "";
      Object.keys(schema.paths).forEach(function (path) {
        var ops = schema.paths[path];
        Object.keys(ops).forEach(function (method) {
          var op = ops[method];
          var section = el("section", "api-operation");
          var heading = el("h3", "kern-heading-small");
          heading.appendChild(el("code", "", method.toUpperCase() + " " + path));
          section.appendChild(heading);
          if (op.summary) section.appendChild(el("p", "kern-body", op.summary));
          if (op.description) section.appendChild(el("p", "kern-body", op.description));
          var params = (op.parameters || []).map(function (p) {
            return p.name + " (" + p.in + (p.required ? ", required" : "") + ")";
          });
          if (params.length) section.appendChild(el("p", "kern-body", "Parameter: " + params.join(", ")));
          section.appendChild(el("p", "kern-body", "Antworten / responses: " + Object.keys(op.responses).join(", ")));
          box.appendChild(section);
        });
      });
    })
    .catch(function () { box.textContent = "Schema nicht lesbar / schema not readable."; });
})();
