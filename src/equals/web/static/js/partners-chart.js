/* A target's progress against the country's published series: grey line = published values
 * (with source and licence in the tooltip), blue points = baseline, reported actuals, target.
 * Markup: <div class="js-target-chart" data-series-url="/api/v1/initiatives/1/targets/2/series">
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;
  var LABEL = { published: "Published series", baseline: "Baseline", actual: "Reported actual", target: "Target" };

  function render(el) {
    EQ.showStatus(el, "Loading chart…");
    EQ.fetchJSON(el.dataset.seriesUrl).then(function (s) {
      var values = s.points.map(function (p) {
        return { year: p.year, value: p.value, series: LABEL[p.series] || p.series,
                 source: p.source || "initiative report", licence: p.licence || "", date: p.date || "" };
      });
      var own = values.filter(function (v) { return v.series !== LABEL.published; });
      var spec = {
        description: "Progress of the target on " + s.indicator_title + " (" + s.sex + ", " + s.country_name +
          "): published series, baseline, reported actuals and target by year.",
        width: "container", height: 220, background: null,
        data: { values: values },
        layer: [
          { transform: [{ filter: "datum.series === '" + LABEL.published + "'" }],
            mark: { type: "line", point: true, color: "#9ca3af" },
            encoding: {
              x: { field: "year", type: "quantitative", axis: { format: "d", title: null } },
              y: { field: "value", type: "quantitative", title: s.unit || s.indicator },
              tooltip: [{ field: "year", format: "d" }, { field: "value", format: ".1f" }, { field: "source" }, { field: "licence" }],
            } },
          { data: { values: own },
            mark: { type: "line", strokeDash: [4, 3], color: "#1d4ed8" },
            encoding: { x: { field: "year", type: "quantitative" }, y: { field: "value", type: "quantitative" } } },
          { data: { values: own },
            mark: { type: "point", filled: true, size: 80 },
            encoding: {
              x: { field: "year", type: "quantitative" }, y: { field: "value", type: "quantitative" },
              shape: { field: "series", type: "nominal", legend: { title: null, orient: "bottom" } },
              color: { field: "series", type: "nominal", scale: { domain: [LABEL.baseline, LABEL.actual, LABEL.target], range: ["#1d4ed8", "#059669", "#b91c1c"] }, legend: { title: null, orient: "bottom" } },
              tooltip: [{ field: "series" }, { field: "year", format: "d" }, { field: "value", format: ".1f" }, { field: "date", title: "reported" }],
            } },
        ],
      };
      el.innerHTML = "";
      return vegaEmbed(el, spec, {
        renderer: "svg", actions: false, tooltip: { theme: "light", disableDefaultStyle: true },
        ast: true, expr: vegaInterpreter.expressionInterpreter, defaultStyle: false,
      }).then(function (result) {
        if (EQ.chartReady) EQ.chartReady(el, result.view); // SVG/PNG downloads
        var svg = el.querySelector("svg");
        if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", spec.description); }
        el.dataset.state = "ready";
        el.dataset.points = String(values.length);
      });
    }).catch(function (err) {
      el.dataset.state = "error";
      EQ.showStatus(el, "The chart could not be drawn (" + err.message + ").", true);
    });
  }

  EQ.ready(function () { document.querySelectorAll(".js-target-chart").forEach(render); });
})();
