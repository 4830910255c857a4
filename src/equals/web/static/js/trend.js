/* Time-series charts (women vs men over the years) on a country page.
 *
 * Markup: <div class="js-trends" data-profile-url="/api/v1/countries/KEN"> … containing
 *   <div class="js-trend" data-indicator="internet_use" data-title="…" data-unit="%"
 *        data-kind="pair|female_share"></div>
 * The profile is fetched once; each chart uses its indicator's `series` (default source).
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;
  var SEX_LABEL = { female: "Women", male: "Men", total: "Total" };

  function points(entry, kind) {
    return entry.series
      .filter(function (s) {
        return kind === "female_share" ? s.sex === "female" : s.sex !== "total";
      })
      .map(function (s) {
        return {
          year: s.year,
          value: s.value,
          sex: kind === "female_share" ? "Women" : SEX_LABEL[s.sex],
          source: s.source,
          licence: s.licence,
          flag: s.flag || "",
        };
      });
  }

  function spec(el, pts, kind) {
    var unit = el.dataset.unit || "";
    var years = pts.map(function (p) { return p.year; });
    var lo = Math.min.apply(null, years);
    var hi = Math.max.apply(null, years);
    var percent = unit.charAt(0) === "%";
    var valueTitle = kind === "female_share" ? "Women's share (%)" : unit;
    var sexes = kind === "female_share" ? ["Women"] : ["Women", "Men"];
    var layers = [
      {
        mark: { type: "line", point: { size: 36 }, strokeWidth: 2.25 },
        encoding: {
          x: {
            field: "year",
            type: "quantitative",
            title: null,
            scale: { domain: [lo, hi], nice: false },
            axis: { format: "d", tickMinStep: 1, labelOverlap: true, grid: false },
          },
          y: {
            field: "value",
            type: "quantitative",
            title: null,
            axis: percent
              ? { tickCount: 4, labelExpr: "datum.label + '%'" }
              : { tickCount: 4 },
          },
          color: {
            field: "sex",
            type: "nominal",
            title: null,
            scale: {
              domain: sexes,
              range: sexes.map(function (s) { return EQ.SEX_COLOURS[s]; }),
            },
            legend: { orient: "top", direction: "horizontal", symbolType: "stroke" },
          },
          tooltip: [
            { field: "sex", title: "Sex" },
            { field: "year", title: "Year" },
            { field: "value", title: valueTitle || "Value", format: ".1f" },
            { field: "source", title: "Source" },
            { field: "licence", title: "Licence" },
          ],
        },
      },
    ];
    if (kind === "female_share") {
      layers.push({
        data: { values: [{ parity: 50 }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#35978f" },
        encoding: { y: { field: "parity", type: "quantitative" } },
      });
      layers.push({
        data: { values: [{ parity: 50, label: "parity (50%)" }] },
        mark: { type: "text", align: "left", baseline: "bottom", dx: 3, dy: -2,
          fontSize: 10, color: "#14524c" },
        encoding: {
          y: { field: "parity", type: "quantitative" },
          x: { value: 0 },
          text: { field: "label" },
        },
      });
    }
    return {
      description:
        "Line chart of " + (el.dataset.title || "the indicator") + " for " +
        sexes.join(" and ").toLowerCase() + ", " + lo + " to " + hi + ".",
      width: "container",
      height: 170,
      autosize: { type: "fit", contains: "padding" },
      background: null,
      data: { values: pts },
      layer: layers,
      config: {
        view: { stroke: null },
        axis: { labelColor: "#4a5163", titleColor: "#4a5163", domainColor: "#b9bfcc" },
        legend: { labelColor: "#1d2230" },
        font: "system-ui, sans-serif",
      },
    };
  }

  function render(wrapper) {
    var charts = wrapper.querySelectorAll(".js-trend");
    if (!charts.length) return;
    charts.forEach(function (el) { EQ.showStatus(el, "Loading chart…"); });
    EQ.fetchJSON(wrapper.dataset.profileUrl)
      .then(function (profile) {
        var byId = {};
        profile.indicators.forEach(function (e) { byId[e.indicator.id] = e; });
        var jobs = [];
        charts.forEach(function (el) {
          var entry = byId[el.dataset.indicator];
          var kind = el.dataset.kind || "pair";
          var pts = entry ? points(entry, kind) : [];
          if (!pts.length) {
            EQ.showStatus(el, "No time series for this indicator.");
            return;
          }
          el.innerHTML = "";
          jobs.push(
            vegaEmbed(el, spec(el, pts, kind), { renderer: "svg", actions: false })
              .then(function () {
                var svg = el.querySelector("svg");
                if (svg) {
                  svg.setAttribute("role", "img");
                  svg.setAttribute("aria-label", spec(el, pts, kind).description);
                }
                el.dataset.state = "ready";
              })
          );
        });
        return Promise.all(jobs);
      })
      .then(function () { wrapper.dataset.state = "ready"; })
      .catch(function (err) {
        wrapper.dataset.state = "error";
        charts.forEach(function (el) {
          EQ.showStatus(el, "Chart unavailable (" + err.message + ").", true);
        });
      });
  }

  EQ.ready(function () {
    document.querySelectorAll(".js-trends").forEach(render);
  });
})();
