/* Inline validation of the registry's forms (the server checks everything again):
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

  // Messages in the page's language come from the form's data-msg-* attributes (written by the
  // template through gettext); English when a page does not give them.
  function text(input, key, fallback) {
    var form = input.form;
    return (form && form.dataset[key]) || fallback;
  }

  function check(input) {
    var rule = input.dataset.check || "";
    var v = input.value.trim();
    if (rule === "iso3-list") {
      var bad = v.split(/[,;\s]+/).filter(function (c) { return c && !/^[A-Za-z]{3}$/.test(c); });
      message(input, bad.length ? text(input, "msgIso3", "Not ISO 3166-1 alpha-3 codes: {codes} (e.g. KEN, MEX)").replace("{codes}", bad.join(", ")) : "");
    } else if (rule.indexOf("after:") === 0) {
      var other = document.getElementById(rule.slice(6));
      message(input, v && other && other.value && v < other.value ? text(input, "msgOrder", "The end is before the start") : "");
    } else if (input.pattern && v && !new RegExp("^(?:" + input.pattern + ")$").test(v)) {
      message(input, input.title || text(input, "msgFormat", "Check the format of this value"));
    } else if (input.required && !v) {
      message(input, text(input, "msgRequired", "This field is required"));
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
