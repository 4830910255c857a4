/* Shared helpers for the EQUALS Hub pages (window.EQUALS). No dependencies. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // The page's language (<html lang>) and the translations of the messages the scripts show
  // (`EQUALS.t("…")`, extracted with the page messages by scripts/i18n.py; base.html embeds
  // them as JSON in French and Spanish). A missing message stays in English.
  var LANG = document.documentElement.lang || "en";
  var MESSAGES = (function () {
    var el = document.getElementById("equals-i18n");
    if (!el) return {};
    try { return JSON.parse(el.textContent) || {}; } catch (e) { return {}; }
  })();
  // Country names in the page's language ({ISO3: name}; base.html embeds them in French and
  // Spanish): the API keeps the names as published.
  var COUNTRY_NAMES = (function () {
    var el = document.getElementById("equals-countries");
    if (!el) return {};
    try { return JSON.parse(el.textContent) || {}; } catch (e) { return {}; }
  })();
  function countryName(code, published) {
    return Object.prototype.hasOwnProperty.call(COUNTRY_NAMES, code) ? COUNTRY_NAMES[code] : published;
  }

  function t(message, values) {
    var text = Object.prototype.hasOwnProperty.call(MESSAGES, message) ? MESSAGES[message] : message;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  // Parity classes for maps: ITU parity score F/M, diverging around 1 with the 0.98–1.02
  // band as its own class. `test(p)` decides membership; bounds follow ParityStatus
  // (the band is inclusive at both ends).
  var NO_DATA = t("No data");
  var NO_DATA_COLOUR = "#c8c8c8";
  // Class labels use the page's decimal separator ("0,98–1,02" in French and Spanish).
  var DECIMAL = (1.5).toLocaleString(LANG === "en" ? "en-GB" : LANG).charAt(1);
  function dec(text) { return text.replace(/\./g, DECIMAL); }
  var CLASSES = [
    { label: dec("< 0.40"), colour: "#7f3b08", test: function (p) { return p < 0.4; } },
    { label: dec("0.40–0.60"), colour: "#b35806", test: function (p) { return p < 0.6; } },
    { label: dec("0.60–0.80"), colour: "#e08214", test: function (p) { return p < 0.8; } },
    { label: dec("0.80–0.90"), colour: "#fdb863", test: function (p) { return p < 0.9; } },
    { label: dec("0.90–0.98"), colour: "#fee0b6", test: function (p) { return p < 0.98; } },
    { label: dec("0.98–1.02") + " " + t("parity"), colour: "#35978f", parity: true,
      test: function (p) { return p <= 1.02; } },
    { label: dec("1.02–1.10"), colour: "#c2bedf", test: function (p) { return p <= 1.1; } },
    { label: dec("1.10–1.25"), colour: "#8073ac", test: function (p) { return p <= 1.25; } },
    { label: dec("> 1.25"), colour: "#542788", test: function () { return true; } },
  ];

  function parityClass(p) {
    if (p === null || p === undefined || !isFinite(p)) return NO_DATA;
    for (var i = 0; i < CLASSES.length; i++) {
      if (CLASSES[i].test(p)) return CLASSES[i].label;
    }
    return NO_DATA;
  }

  function fmt(value, digits) {
    if (value === null || value === undefined || !isFinite(value)) return "–";
    var d = digits === undefined ? 1 : digits;
    return Number(value).toLocaleString(LANG === "en" ? "en-GB" : LANG, {
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    });
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
      return r.json();
    });
  }

  function showStatus(el, text, isError) {
    el.innerHTML = "";
    var p = document.createElement("p");
    p.className = "chart-status" + (isError ? " chart-error" : "");
    p.textContent = text;
    el.appendChild(p);
  }

  // Run `fn` once the DOM is ready.
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // A table wider than the screen scrolls inside its wrapper: make that wrapper reachable by
  // keyboard (WCAG 2.1.1; axe "scrollable-region-focusable"), named by the table's caption.
  var SCROLLERS = ".table-scroll, .sessions-table-wrap";
  var scrollerCount = 0;
  function focusableScrollers() {
    var els = document.querySelectorAll(SCROLLERS);
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.scrollWidth <= el.clientWidth + 1 || el.hasAttribute("tabindex")) continue;
      el.setAttribute("tabindex", "0");
      el.setAttribute("data-scroll-focus", "");
      var caption = el.querySelector("caption");
      if (caption && !el.hasAttribute("role")) {
        if (!caption.id) caption.id = "scroll-caption-" + ++scrollerCount;
        el.setAttribute("role", "region");
        el.setAttribute("aria-labelledby", caption.id);
      }
    }
  }
  ready(focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  // Colours for women and men in charts (match the CSS variables --women / --men).
  var SEX_COLOURS = { Women: "#7a3e9d", Men: "#1f7a70", Total: "#8a8f9c" };
  SEX_COLOURS[t("Women")] = SEX_COLOURS.Women; // charts label the series in the page's language
  SEX_COLOURS[t("Men")] = SEX_COLOURS.Men;
  SEX_COLOURS[t("Total")] = SEX_COLOURS.Total;

  window.EQUALS = {
    NO_DATA: NO_DATA,
    NO_DATA_COLOUR: NO_DATA_COLOUR,
    PARITY_CLASSES: CLASSES,
    SEX_COLOURS: SEX_COLOURS,
    parityClass: parityClass,
    fmt: fmt,
    t: t,
    LANG: LANG,
    countryName: countryName,
    fetchJSON: fetchJSON,
    showStatus: showStatus,
    ready: ready,
  };
})();
