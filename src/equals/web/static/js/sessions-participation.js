/* Women's participation chart on /sessions/participation: one bar per group and measure
 * (participants, speakers, moderators), only where reports state it; the number of reports
 * behind each bar in the tooltip. Data: <script type="application/json" id="participation-data">.
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;
  var MEASURES = [
    ["women_share", "Participants"],
    ["women_speakers_share", "Speakers"],
    ["women_moderators_share", "Moderators"],
  ];

  function render(el) {
    var raw = document.getElementById("participation-data");
    var data;
    try { data = JSON.parse(raw.textContent); } catch (e) { return; }
    var values = [];
    data.groups.forEach(function (g) {
      MEASURES.forEach(function (m) {
        var r = g[m[0]];
        if (r.value === null) return;
        values.push({ group: g.key, measure: m[1], share: r.value, reports: r.reports,
                      numerator: r.numerator, denominator: r.denominator });
      });
    });
    if (!values.length) {
      EQ.showStatus(el, "No filed report states these figures yet.");
      el.dataset.state = "empty";
      return;
    }
    var spec = {
      description: el.getAttribute("aria-label"),
      width: "container", height: 260, background: null,
      data: { values: values },
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { field: "group", type: "nominal", title: null, axis: { labelAngle: 0, labelLimit: 120 } },
        xOffset: { field: "measure", type: "nominal", sort: ["Participants", "Speakers", "Moderators"] },
        y: { field: "share", type: "quantitative", title: "Women (share)", axis: { format: "%" },
             scale: { domain: [0, 1] } },
        color: { field: "measure", type: "nominal", sort: ["Participants", "Speakers", "Moderators"],
                 scale: { range: ["#7c3aed", "#0f766e", "#b45309"] }, legend: { title: null, orient: "bottom" } },
        tooltip: [{ field: "group" }, { field: "measure" }, { field: "share", format: ".1%" },
                  { field: "numerator", title: "women" }, { field: "denominator", title: "of" },
                  { field: "reports", title: "reports" }],
      },
    };
    el.innerHTML = "";
    vegaEmbed(el, spec, {
      renderer: "svg", actions: false, tooltip: { theme: "light", disableDefaultStyle: true },
      ast: true, expr: vegaInterpreter.expressionInterpreter, defaultStyle: false,
    }).then(function (result) {
      if (EQ.chartReady) EQ.chartReady(el, result.view); // SVG/PNG downloads
      el.dataset.state = "ready";
      el.dataset.bars = String(values.length);
    }).catch(function (err) {
      el.dataset.state = "error";
      EQ.showStatus(el, "The chart could not be drawn (" + err.message + ").", true);
    });
  }

  EQ.ready(function () { document.querySelectorAll(".js-participation-chart").forEach(render); });
})();
