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
  var SEX_LABEL = { female: EQ.t("Women"), male: EQ.t("Men"), total: EQ.t("Total") };

  function surveyPoints(el, kind) {
    var raw = el.dataset.survey;
    if (!raw) return [];
    var list;
    try { list = JSON.parse(raw); } catch (e) { return []; }
    return list
      .filter(function (s) {
        return kind === "female_share" ? s.sex === "female" : s.sex !== "total";
      })
      .map(function (s) {
        return {
          year: s.year,
          value: s.value,
          sex: kind === "female_share" ? SEX_LABEL.female : SEX_LABEL[s.sex],
          source: s.source,
          licence: s.licence,
          flag: (s.flags || []).join(", "),
          se: s.se,
          ci_low: s.ci_low,
          ci_high: s.ci_high,
          ci_label: s.ci_label || EQ.t("CI (level not recorded)"),
          n: s.n,
        };
      });
  }

  // "95% confidence intervals" only when every interval shown is at 95%.
  function ciCaption(pts) {
    var labels = {};
    pts.forEach(function (p) { if (hasCi(p)) labels[p.ci_label] = true; });
    var list = Object.keys(labels).sort();
    if (list.length === 1 && list[0].indexOf("%") > 0 && EQ.LANG === "en") {
      return list[0].replace("CI", "confidence intervals");
    }
    return EQ.t("confidence intervals") + " (" + (list.join(", ") || EQ.t("level not recorded")) + ")";
  }

  function hasCi(p) {
    return p.ci_low !== null && p.ci_low !== undefined &&
      p.ci_high !== null && p.ci_high !== undefined;
  }

  function points(entry, kind) {
    if (!entry) return [];
    return entry.series
      .filter(function (s) {
        return kind === "female_share" ? s.sex === "female" : s.sex !== "total";
      })
      .map(function (s) {
        return {
          year: s.year,
          value: s.value,
          sex: kind === "female_share" ? SEX_LABEL.female : SEX_LABEL[s.sex],
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
    var valueTitle = kind === "female_share" ? EQ.t("Women's share (%)") : unit;
    var sexes = kind === "female_share" ? [SEX_LABEL.female] : [SEX_LABEL.female, SEX_LABEL.male];
    var withCi = pts.some(hasCi);
    var tooltip = [
      { field: "sex", title: EQ.t("Sex") },
      { field: "year", title: EQ.t("Year") },
      { field: "value", title: valueTitle || EQ.t("Value"), format: ".1f" },
    ];
    if (withCi) {
      tooltip.push({ field: "se_text", title: "± SE" });
      tooltip.push({ field: "ci_text", title: EQ.t("Confidence interval") });
      tooltip.push({ field: "n_text", title: "n" });
      tooltip.push({ field: "flag", title: EQ.t("Flags") });
      pts.forEach(function (p) {
        p.se_text = p.se === null || p.se === undefined ? "–" : "± " + EQ.fmt(p.se);
        // The label names the level stored with the estimate ("95% CI", "90% CI", …).
        p.ci_text = hasCi(p) ? p.ci_label + " " + EQ.fmt(p.ci_low) + "–" + EQ.fmt(p.ci_high) : "–";
        p.n_text = p.n === null || p.n === undefined ? "–" : String(p.n);
      });
    }
    tooltip.push({ field: "source", title: EQ.t("Source") });
    tooltip.push({ field: "licence", title: EQ.t("Licence") });
    var yTitle = null;
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
          tooltip: tooltip,
        },
      },
    ];
    if (withCi) {
      // One line per sex and source (a survey is not joined to the bundled series).
      layers[0].encoding.detail = { field: "source", type: "nominal" };
      var ciColour = {
        field: "sex",
        type: "nominal",
        legend: null,
        scale: {
          domain: sexes,
          range: sexes.map(function (s) { return EQ.SEX_COLOURS[s]; }),
        },
      };
      var ciY = { field: "ci_low", type: "quantitative", title: yTitle };
      var ciY2 = { field: "ci_high" };
      var ciX = { field: "year", type: "quantitative" };
      layers.unshift({
        name: "ci_band",
        transform: [{ filter: "isValid(datum.ci_low) && isValid(datum.ci_high)" }],
        mark: { type: "errorband", opacity: 0.18 },
        encoding: { x: ciX, y: ciY, y2: ciY2, color: ciColour,
          detail: { field: "source", type: "nominal" } },
      });
      layers.splice(1, 0, {
        name: "ci_bars",
        transform: [{ filter: "isValid(datum.ci_low) && isValid(datum.ci_high)" }],
        mark: { type: "errorbar", ticks: { size: 6 } },
        encoding: { x: ciX, y: ciY, y2: ciY2, color: ciColour },
      });
    }
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
    var groups = kind === "female_share" ? EQ.t("women") : EQ.t("women and men");
    var what = el.dataset.title || EQ.t("the indicator");
    return {
      description:
        EQ.t("Line chart of %(indicator)s for %(groups)s, %(first)s to %(last)s.",
          { indicator: what, groups: groups, first: lo, last: hi }) +
        (withCi ? " " + EQ.t("Shaded bands and error bars: %(intervals)s of survey estimates.",
          { intervals: ciCaption(pts) }) : ""),
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
    charts.forEach(function (el) { EQ.showStatus(el, EQ.t("Loading chart…")); });
    EQ.fetchJSON(wrapper.dataset.profileUrl)
      .then(function (profile) {
        var byId = {};
        profile.indicators.forEach(function (e) { byId[e.indicator.id] = e; });
        var jobs = [];
        charts.forEach(function (el) {
          var entry = byId[el.dataset.indicator];
          var kind = el.dataset.kind || "pair";
          var pts = points(entry, kind).concat(surveyPoints(el, kind));
          if (!pts.length) {
            EQ.showStatus(el, EQ.t("No time series for this indicator."));
            return;
          }
          el.innerHTML = "";
          jobs.push(
            vegaEmbed(el, spec(el, pts, kind), {
              renderer: "svg",
              actions: false,
              tooltip: { theme: "light", disableDefaultStyle: true },
              // Strict CSP: expressions interpreted (no eval), styles from vega-embed.css.
              ast: true,
              expr: vegaInterpreter.expressionInterpreter,
              defaultStyle: false,
            })
              .then(function (result) {
                if (EQ.chartReady) EQ.chartReady(el, result.view); // SVG/PNG downloads
                var svg = el.querySelector("svg");
                if (svg) {
                  svg.setAttribute("role", "img");
                  svg.setAttribute("aria-label", spec(el, pts, kind).description);
                }
                if (pts.some(hasCi)) el.dataset.uncertainty = "band";
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
          EQ.showStatus(el, EQ.t("Chart unavailable (%(error)s).", { error: err.message }), true);
        });
      });
  }

  EQ.ready(function () {
    document.querySelectorAll(".js-trends").forEach(render);
  });
})();
