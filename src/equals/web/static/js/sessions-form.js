// The rapporteur form validates as you type: it posts the fields to the validate endpoint
// (nothing is stored) and shows each finding beside its field.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var timer = null;
  var status = document.getElementById("form-status");

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
        li.textContent = f.message;
        list.appendChild(li);
      });
    });
    var v = result.validation;
    status.textContent = v.valid
      ? "Valid: " + v.warnings + " warning(s)."
      : v.errors + " error(s) and " + v.warnings + " warning(s) to look at.";
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
          status.textContent = "Your sign-in has ended: sign in again to check and file the report.";
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then(function (result) { if (result) show(result); })
      .catch(function () { status.textContent = "Could not check the report just now."; });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  validate();
})();
