/* Inline validation of the initiative form (the server checks everything again):
 * data-check="iso3-list" (comma-separated ISO3 codes) and data-check="after:<id>" (a date not
 * before another field's). A message appears under the field as soon as it is left. */
(function () {
  "use strict";
  function message(input, text) {
    var id = "live-err-" + input.name;
    var p = document.getElementById(id);
    if (!text) {
      if (p) p.remove();
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!p) {
      p = document.createElement("p");
      p.className = "field-error";
      p.id = id;
      p.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", p);
    }
    p.textContent = text;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }

  function check(input) {
    var rule = input.dataset.check || "";
    var v = input.value.trim();
    if (rule === "iso3-list") {
      var bad = v.split(/[,;\s]+/).filter(function (c) { return c && !/^[A-Za-z]{3}$/.test(c); });
      message(input, bad.length ? "Not ISO 3166-1 alpha-3 codes: " + bad.join(", ") + " (e.g. KEN, MEX)" : "");
    } else if (rule.indexOf("after:") === 0) {
      var other = document.getElementById(rule.slice(6));
      message(input, v && other && other.value && v < other.value ? "The end is before the start" : "");
    } else if (input.pattern && v && !new RegExp("^(?:" + input.pattern + ")$").test(v)) {
      message(input, input.title || "Check the format of this value");
    } else if (input.required && !v) {
      message(input, "This field is required");
    } else {
      message(input, "");
    }
  }

  document.querySelectorAll(".js-initiative-form").forEach(function (form) {
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.addEventListener("blur", function () { check(input); });
    });
  });
})();
