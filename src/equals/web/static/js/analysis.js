/* Analysis charts (rank intervals, parity trend with prediction interval, data availability
 * map). Their toolbar (SVG/PNG download, share link, embed snippet) is chart-tools.js.
 *
 * Markup: <div class="js-analysis-chart" data-kind="ranks|trend|availability"
 *              data-url="/api/v1/analysis/…" data-title="…">.
 * Data come from the analysis API; no inline script (strict CSP: Vega expressions are
 * interpreted, not evaluated).
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;
  var EMBED_OPTIONS = {
    renderer: "svg",
    actions: false,
    tooltip: { theme: "light", disableDefaultStyle: true },
    ast: true,
    defaultStyle: false,
  };

  function options() {
    var o = Object.assign({}, EMBED_OPTIONS);
    if (window.vegaInterpreter) o.expr = window.vegaInterpreter.expressionInterpreter;
    return o;
  }

  function ranksSpec(doc) {
    var rows = doc.countries
      .filter(function (c) { return c.rank !== null; })
      .map(function (c) {
        return {
          name: EQ.countryName(c.country, c.name),
          code: c.country,
          rank: c.rank,
          low: c.rank_low,
          high: c.rank_high,
          score: Math.round(c.score * 1000) / 1000,
        };
      });
    var tooltip = [
      { field: "name", title: EQ.t("Country") },
      { field: "rank", title: EQ.t("Rank") },
      { field: "low", title: EQ.t("Interval from") },
      { field: "high", title: EQ.t("Interval to") },
      { field: "score", title: EQ.t("Score") },
    ];
    var y = { field: "name", type: "nominal", sort: { field: "rank" }, title: null,
      axis: { labelFontSize: 9 } };
    return {
      description: EQ.t("Rank of each country in the Digital Gender Equality Index (dot) with " +
        "the interval in which 90% of Monte Carlo draws rank it (line)."),
      width: "container",
      height: Math.max(200, rows.length * 11),
      data: { values: rows },
      layer: [
        { mark: { type: "rule", color: "#7a3e9d", strokeWidth: 2 },
          encoding: { y: y, x: { field: "low", type: "quantitative", title: EQ.t("Rank (1 = closest to parity)") },
            x2: { field: "high" }, tooltip: tooltip } },
        { mark: { type: "point", filled: true, color: "#1f7a70", size: 30 },
          encoding: { y: y, x: { field: "rank", type: "quantitative" }, tooltip: tooltip } },
      ],
    };
  }

  function trendSpec(doc) {
    var observed = doc.series.filter(function (r) { return r.kind === "observed"; });
    var fitted = doc.series.filter(function (r) { return r.parity_fitted !== null; });
    var projected = doc.series.filter(function (r) { return r.kind === "projected"; });
    var band = doc.method.parity_band;
    var x = { field: "year", type: "quantitative", title: EQ.t("Year"), axis: { format: "d" } };
    // Keep the observed range and the parity band readable: projections far past parity are
    // clipped at the top (the table and CSV have every value).
    var top = 1.25;
    observed.forEach(function (r) { if (r.parity !== null) top = Math.max(top, r.parity * 1.1); });
    top = Math.min(Math.max(top, 1.25), 3);
    var yScale = { domain: [0, top], clamp: false };
    var layers = [
      { data: { values: [{ lo: band[0], hi: band[1] }] },
        mark: { type: "rect", color: "#35978f", opacity: 0.2 },
        encoding: { y: { field: "lo", type: "quantitative", scale: yScale }, y2: { field: "hi" } } },
    ];
    if (projected.length) {
      layers.push({ data: { values: projected },
        mark: { type: "area", color: "#e08214", opacity: 0.25, clip: true },
        encoding: { x: x, y: { field: "parity_low", type: "quantitative", scale: yScale }, y2: { field: "parity_high" },
          tooltip: [{ field: "year", title: EQ.t("Year") },
            { field: "parity_fitted", title: EQ.t("Projected"), format: ".3f" },
            { field: "parity_low", title: EQ.t("95% PI low"), format: ".3f" },
            { field: "parity_high", title: EQ.t("95% PI high"), format: ".3f" }] } });
    }
    if (fitted.length) {
      layers.push({ data: { values: fitted },
        mark: { type: "line", color: "#b35806", clip: true },
        encoding: { x: x, y: { field: "parity_fitted", type: "quantitative", scale: yScale },
          strokeDash: { field: "kind", type: "nominal", legend: null } } });
    }
    layers.push({ data: { values: observed },
      mark: { type: "point", filled: true, color: "#7a3e9d", clip: true },
      encoding: { x: x, y: { field: "parity", type: "quantitative", title: EQ.t("Parity score (women ÷ men)"),
        scale: yScale },
        tooltip: [{ field: "year", title: EQ.t("Year") },
          { field: "female", title: EQ.t("Women"), format: ".1f" },
          { field: "male", title: EQ.t("Men"), format: ".1f" },
          { field: "parity", title: EQ.t("Parity F/M"), format: ".3f" }] } });
    return {
      description: EQ.t("Parity score of %(country)s for %(indicator)s: observed values, fitted " +
        "trend and projection with a 95% prediction interval.",
        { country: doc.country, indicator: doc.indicator }) + " " + doc.message,
      width: "container",
      height: 280,
      layer: layers,
    };
  }

  function availabilitySpec(el, rows) {
    var width = Math.max(280, el.clientWidth || 600);
    return {
      description: EQ.t("World map: number of indicators with recent data by sex per country."),
      width: "container",
      height: Math.round(width * 0.46),
      autosize: { type: "fit", contains: "padding" },
      data: { url: el.dataset.atlasUrl, format: { type: "topojson", feature: "countries" } },
      transform: [
        { filter: "datum.id !== '010'" },
        { calculate: "'m' + toNumber(datum.id)", as: "key" },
        { lookup: "key", from: { data: { values: rows }, key: "key",
          fields: ["recent", "name", "by_sex", "total_only", "missing"] } },
        { calculate: "datum.name ? datum.name : datum.properties.name", as: "label" },
      ],
      projection: { type: "equalEarth" },
      mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.5 },
      encoding: {
        color: { condition: { test: "datum.recent === null || !isValid(datum.recent)", value: EQ.NO_DATA_COLOUR },
          field: "recent", type: "quantitative", title: EQ.t("Indicators with recent data by sex"),
          scale: { scheme: "purples", domain: [0, Number(el.dataset.total || 29)] } },
        tooltip: [{ field: "label", title: EQ.t("Country") },
          { field: "recent", title: EQ.t("Recent by sex") },
          { field: "by_sex", title: EQ.t("Any by sex") },
          { field: "total_only", title: EQ.t("Total only") },
          { field: "missing", title: EQ.t("Missing") }],
      },
      config: { view: { stroke: null } },
    };
  }

  function specFor(el) {
    var kind = el.dataset.kind;
    if (kind === "availability") {
      return Promise.all([EQ.fetchJSON(el.dataset.url), EQ.fetchJSON(el.dataset.countriesUrl)])
        .then(function (res) {
          var m49 = {};
          res[1].forEach(function (a) { if (a.m49 !== null && a.m49 !== undefined) m49[a.code] = a.m49; });
          var rows = res[0].filter(function (c) { return m49[c.country] !== undefined; })
            .map(function (c) {
              return { key: "m" + m49[c.country], name: EQ.countryName(c.country, c.name),
                recent: c.recent, by_sex: c.by_sex,
                total_only: c.total_only, missing: c.missing };
            });
          return availabilitySpec(el, rows);
        });
    }
    return EQ.fetchJSON(el.dataset.url).then(function (doc) {
      return kind === "ranks" ? ranksSpec(doc) : trendSpec(doc);
    });
  }

  function render(el) {
    EQ.showStatus(el, EQ.t("Loading chart…"));
    specFor(el)
      .then(function (spec) {
        el.innerHTML = "";
        return vegaEmbed(el, spec, options()).then(function (result) {
          var svg = el.querySelector("svg");
          if (svg) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", spec.description);
          }
          EQ.chartReady(el, result.view); // chart-tools.js: SVG/PNG downloads
          el.dataset.state = "ready";
        });
      })
      .catch(function (err) {
        el.dataset.state = "error";
        EQ.showStatus(el, EQ.t("The chart could not be drawn (%(error)s). The table on this " +
          "page has the same values.", { error: err.message }), true);
      });
  }

  EQ.ready(function () {
    document.querySelectorAll(".js-analysis-chart").forEach(render);
  });
})();
