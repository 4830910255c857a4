// The rapporteur form validates as you type: it posts the fields to the validate endpoint
// (nothing is stored) and shows each finding beside its field.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var timer = null;
  var status = document.getElementById("form-status");

  // Status lines come translated from the page (data-say-*), with %(name)s placeholders.
  function say(key, values) {
    return (form.dataset["say" + key.charAt(0).toUpperCase() + key.slice(1)] || "").replace(
      /%\((\w+)\)s/g,
      function (_m, name) { return String(values[name]); }
    );
  }

  function fields() {
    var out = {};
    form.querySelectorAll("[name^='field_']").forEach(function (el) {
      out[el.name.slice(6)] = el.value;
    });
    return out;
  }

  function show(result) {
    form.querySelectorAll(".form-row[data-field]").forEach(function (row) {
      var list = row.querySelector(".findings");
      list.textContent = "";
      result.validation.findings.forEach(function (f) {
        if (f.field !== row.dataset.field) return;
        var li = document.createElement("li");
        li.className = f.severity;
        li.textContent = f.text || f.message;
        list.appendChild(li);
      });
    });
    var v = result.validation;
    status.textContent = v.valid
      ? say("valid", { warnings: v.warnings })
      : say("invalid", { errors: v.errors, warnings: v.warnings });
  }

  function validate() {
    fetch(form.dataset.validate, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ template: form.dataset.template, fields: fields() }),
    })
      .then(function (r) {
        if (r.status === 401) {
          status.textContent = say("signedOut", {});
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then(function (result) { if (result) show(result); })
      .catch(function () { status.textContent = say("unreachable", {}); });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  validate();
})();
