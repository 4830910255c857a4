/* Selector forms (<form class="js-autosubmit" method="get">): changing a select navigates to
 * the page's URL with the new query string, so every view is shareable and the back button
 * works. Without JavaScript the form's own submit button does the same.
 *
 * - A select with data-resets="year" clears those fields when it changes (a new indicator
 *   starts at its latest year).
 * - A select with data-pillar-filter (no name, not submitted) limits the indicator select's
 *   <optgroup data-pillar="…"> to one pillar and picks that pillar's first indicator.
 */
(function () {
  "use strict";

  function navigate(form) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.value === "") return;
      if (el.tagName !== "SELECT" && el.tagName !== "INPUT") return;
      params.append(el.name, el.value);
    });
    var query = params.toString();
    var action = form.getAttribute("action") || window.location.pathname;
    window.location.assign(action + (query ? "?" + query : ""));
  }

  function filterIndicators(form, pillar) {
    var target = form.querySelector("select[data-indicator-select]");
    if (!target) return;
    var first = null;
    Array.prototype.forEach.call(target.querySelectorAll("optgroup"), function (group) {
      var show = !pillar || group.getAttribute("data-pillar") === pillar;
      group.hidden = !show;
      group.disabled = !show;
      if (show && !first && group.querySelector("option")) first = group.querySelector("option");
    });
    var current = target.options[target.selectedIndex];
    if (first && (!current || current.parentNode.disabled)) target.value = first.value;
  }

  function setup(form) {
    var pillar = form.querySelector("select[data-pillar-filter]");
    if (pillar) filterIndicators(form, pillar.value);
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.tagName !== "SELECT") return;
      if (el.hasAttribute("data-pillar-filter")) {
        filterIndicators(form, el.value);
        if (!el.value) return; // "All pillars" only widens the indicator list
      }
      var resets = el.getAttribute("data-resets") ||
        (el.hasAttribute("data-pillar-filter") ? "year source breakdown" : "");
      resets.split(/\s+/).forEach(function (name) {
        if (!name) return;
        var field = form.elements.namedItem(name);
        if (field) field.value = "";
      });
      navigate(form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      navigate(form);
    });
  }

  window.EQUALS.ready(function () {
    document.querySelectorAll("form.js-autosubmit").forEach(setup);
  });

  // Coming back (history) to a page kept in the back/forward cache: show the selects as the
  // page was rendered, not as they were left when navigating away.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form.js-autosubmit").forEach(function (form) {
      form.reset();
      var pillar = form.querySelector("select[data-pillar-filter]");
      if (pillar) filterIndicators(form, pillar.value);
    });
  });
})();
