/* World map of the under-served score (gap shared by active initiatives) for one action area.
 *
 * Markup: <div class="js-action-map" data-gaps-url="/api/v1/action-gaps?pillar=…"
 *              data-countries-url="/api/v1/countries" data-atlas-url="…" data-legend="…">
 * Countries are joined on UN M49 (world-atlas feature ids), as in map.js.
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;

  function spec(el, rows, maxScore) {
    var width = Math.max(280, el.clientWidth || 600);
    return {
      description: "World map of how under-served each country is: the gender gap divided by " +
        "one plus the number of active initiatives. Darker: more under-served; grey: no data.",
      width: "container",
      height: Math.round(width * 0.46),
      autosize: { type: "fit", contains: "padding" },
      padding: 0,
      background: null,
      data: { url: el.dataset.atlasUrl, format: { type: "topojson", feature: "countries" } },
      transform: [
        { filter: "datum.id !== '010'" },
        { calculate: "datum.id == null ? 'n:' + datum.properties.name : 'm' + toNumber(datum.id)", as: "joinKey" },
        { lookup: "joinKey", from: { data: { values: rows }, key: "key" }, as: "row" },
        { calculate: "datum.row ? datum.row.score : null", as: "score" },
        { calculate: "datum.row ? datum.row.tip : {'Country': datum.properties.name, 'Data': 'none'}", as: "tip" },
      ],
      projection: { type: "equalEarth" },
      mark: {
        type: "geoshape", stroke: "#ffffff", strokeWidth: 0.5,
        tooltip: { expr: "datum.tip" },
        cursor: { expr: "datum.row ? 'pointer' : 'default'" },
      },
      encoding: {
        color: {
          condition: {
            test: "datum.score !== null",
            field: "score", type: "quantitative",
            scale: { scheme: "orangered", domain: [0, maxScore || 1] },
            legend: { title: "Under-served score", orient: "bottom", direction: "horizontal" },
          },
          value: EQ.NO_DATA_COLOUR || "#d9d9d9",
        },
      },
      config: { view: { stroke: null } },
    };
  }

  function render(el) {
    EQ.showStatus(el, "Loading map…");
    Promise.all([EQ.fetchJSON(el.dataset.gapsUrl), EQ.fetchJSON(el.dataset.countriesUrl)])
      .then(function (res) {
        var m49 = {};
        res[1].forEach(function (a) { if (a.m49 !== null && a.m49 !== undefined) m49[a.code] = a.m49; });
        var maxScore = 0;
        var rows = res[0].map(function (g) {
          maxScore = Math.max(maxScore, g.score);
          return {
            key: m49[g.country] === undefined ? "n:" + g.country_name : "m" + m49[g.country],
            code: g.country,
            score: g.score,
            tip: {
              Country: g.country_name, Rank: String(g.rank), "Gap (1 − F/M)": EQ.fmt(g.gap, 3),
              "Active initiatives": String(g.initiatives), Score: EQ.fmt(g.score, 3),
              Year: String(g.year), Indicator: g.indicator, Source: g.source, Licence: g.licence,
            },
            href: "/action/" + encodeURIComponent(g.country),
          };
        });
        el.innerHTML = "";
        return vegaEmbed(el, spec(el, rows, maxScore), {
          renderer: "svg", actions: false,
          tooltip: { theme: "light", disableDefaultStyle: true },
          ast: true, expr: vegaInterpreter.expressionInterpreter, defaultStyle: false,
        }).then(function (result) {
          result.view.addEventListener("click", function (_e, item) {
            var row = item && item.datum && item.datum.row;
            if (!row || !row.href) return;
            // in an embed (another site's frame) the country page opens in a new tab
            if (window.self !== window.top) window.open(row.href, "_blank", "noopener");
            else window.location.assign(row.href);
          });
          var svg = el.querySelector("svg");
          if (svg) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", spec(el, [], 1).description);
          }
          if (EQ.chartReady) EQ.chartReady(el, result.view); // SVG/PNG downloads
          el.dataset.state = "ready";
          el.dataset.countries = String(rows.length);
        });
      })
      .catch(function (err) {
        el.dataset.state = "error";
        EQ.showStatus(el, "The map could not be drawn (" + err.message + "). The table below has the same values.", true);
      });
  }

  EQ.ready(function () { document.querySelectorAll(".js-action-map").forEach(render); });
})();
