/* World choropleth of the ITU gender parity score (F/M) for one indicator.
 *
 * Markup: <div class="js-map" data-gaps-url="/api/v1/gaps?…" data-atlas-url="…"
 *              data-countries-url="/api/v1/countries" data-indicator="internet_use"
 *              data-title="…" data-unit="%" data-legend="…id of a <div> for the legend">
 * Countries are joined on UN M49 = ISO 3166-1 numeric (world-atlas feature ids). Features
 * without an id (Kosovo, N. Cyprus, Somaliland) are joined by name to areas without an M49
 * code (Kosovo); the others stay grey and are not clickable.
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;

  function tipFor(row, unit, year, sourceName) {
    var tip = {};
    tip[EQ.t("Country")] = EQ.countryName(row.country, row.country_name);
    var u = unit; // the server's suffix: "%", " thousand" or ""
    function pm(se) {
      return se === null || se === undefined ? "" : " ± " + EQ.fmt(se);
    }
    if (row.kind === "female_share") {
      tip[EQ.t("Women's share")] = EQ.fmt(row.female) + u + pm(row.female_se);
    } else {
      tip[EQ.t("Women")] = EQ.fmt(row.female) + u + pm(row.female_se);
      tip[EQ.t("Men")] = EQ.fmt(row.male) + u + pm(row.male_se);
    }
    tip[EQ.t("Parity F/M")] = EQ.fmt(row.parity, 2);
    var latest = year && String(row.year) !== String(year) ? " (" + EQ.t("latest") + ")" : "";
    tip[EQ.t("Year")] = String(row.year) + latest;
    tip[EQ.t("Source")] = sourceName ? sourceName + " (" + row.source + ")" : row.source;
    tip[EQ.t("Licence")] = row.licence;
    return tip;
  }

  function drawLegend(container, counts) {
    if (!container) return;
    container.innerHTML = "";
    var title = document.createElement("div");
    title.className = "legend-title";
    title.id = container.id + "-title";
    title.textContent = EQ.t("Gender parity score (women ÷ men)");
    container.appendChild(title);
    var ul = document.createElement("ul");
    ul.className = "legend";
    ul.setAttribute("aria-labelledby", title.id);
    var items = EQ.PARITY_CLASSES.map(function (c) {
      return { label: c.label, colour: c.colour, parity: !!c.parity };
    });
    items.push({ label: EQ.NO_DATA, colour: EQ.NO_DATA_COLOUR });
    items.forEach(function (c) {
      var li = document.createElement("li");
      if (c.parity) li.className = "legend-parity";
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = c.colour;
      sw.setAttribute("aria-hidden", "true");
      li.appendChild(sw);
      var n = c.label === EQ.NO_DATA ? "" : " (" + (counts[c.label] || 0) + ")";
      li.appendChild(document.createTextNode(c.label + n));
      ul.appendChild(li);
    });
    container.appendChild(ul);
  }

  function spec(el, rows) {
    var width = Math.max(280, el.clientWidth || 600);
    var title = el.dataset.title || "indicator";
    return {
      description: EQ.t(
        "World map of the gender parity score (women's value divided by men's) for " +
        "%(indicator)s. Orange: women's value lower than men's; teal: parity band 0.98–1.02; " +
        "purple: women's value higher; grey: no data.", { indicator: title }),
      width: "container",
      height: Math.round(width * 0.46),
      autosize: { type: "fit", contains: "padding" },
      padding: 0,
      background: null,
      data: {
        url: el.dataset.atlasUrl,
        format: { type: "topojson", feature: "countries" },
      },
      transform: [
        { filter: "datum.id !== '010'" },
        {
          calculate:
            "datum.id == null ? 'n:' + datum.properties.name : 'm' + toNumber(datum.id)",
          as: "joinKey",
        },
        {
          lookup: "joinKey",
          from: { data: { values: rows }, key: "key" },
          as: "row",
        },
        {
          calculate: "datum.row ? datum.row.band : '" + EQ.NO_DATA + "'",
          as: "band",
        },
        {
          calculate:
            "datum.row ? datum.row.tip : {'Country': datum.properties.name, " +
            "'Data': 'none for this indicator'}",
          as: "tip",
        },
        {
          calculate:
            "datum.row ? datum.row.label : (datum.properties.name + ': no data')",
          as: "label",
        },
      ],
      projection: { type: "equalEarth" },
      mark: {
        type: "geoshape",
        stroke: "#ffffff",
        strokeWidth: 0.5,
        tooltip: { expr: "datum.tip" },
        cursor: { expr: "datum.row ? 'pointer' : 'default'" },
      },
      encoding: {
        description: { field: "label", type: "nominal" },
        color: {
          field: "band",
          type: "nominal",
          scale: {
            domain: EQ.PARITY_CLASSES.map(function (c) { return c.label; }).concat([EQ.NO_DATA]),
            range: EQ.PARITY_CLASSES.map(function (c) { return c.colour; })
              .concat([EQ.NO_DATA_COLOUR]),
          },
          legend: null,
        },
      },
      config: { view: { stroke: null } },
    };
  }

  function render(el) {
    var unit = el.dataset.unit || "";
    var year = el.dataset.year || "";
    var indicator = el.dataset.indicator;
    var kind = el.dataset.kind || "pair";
    EQ.showStatus(el, EQ.t("Loading map…"));
    Promise.all([
      EQ.fetchJSON(el.dataset.gapsUrl),
      EQ.fetchJSON(el.dataset.countriesUrl),
    ])
      .then(function (res) {
        var gaps = res[0];
        var m49 = {};
        res[1].forEach(function (a) {
          if (a.m49 !== null && a.m49 !== undefined) m49[a.code] = a.m49;
        });
        var counts = {};
        var rows = [];
        gaps.forEach(function (g) {
          var band = EQ.parityClass(g.parity);
          counts[band] = (counts[band] || 0) + 1;
          if (band === EQ.NO_DATA) return;
          g.kind = kind;
          var row = {
            key: m49[g.country] === undefined ? "n:" + g.country_name : "m" + m49[g.country],
            code: g.country,
            band: band,
            tip: tipFor(g, unit, year, el.dataset.sourceName),
            label: EQ.t("%(country)s: parity %(parity)s (%(year)s)", {
              country: EQ.countryName(g.country, g.country_name),
              parity: EQ.fmt(g.parity, 2),
              year: g.year }),
            // keep the page's language (/fr, /es: <html data-lang-prefix>, base.html)
            href: (document.documentElement.dataset.langPrefix || "") +
              "/country/" + encodeURIComponent(g.country) +
              "?indicator=" + encodeURIComponent(indicator) +
              "#ind-" + encodeURIComponent(indicator),
          };
          rows.push(row);
        });
        el.innerHTML = "";
        return vegaEmbed(el, spec(el, rows), {
          renderer: "svg",
          actions: false,
          tooltip: { theme: "light", disableDefaultStyle: true },
          // Strict CSP: no eval (expressions interpreted) and no injected <style> elements
          // (vendor/vega-embed/vega-embed.css carries those styles).
          ast: true,
          expr: vegaInterpreter.expressionInterpreter,
          defaultStyle: false,
        }).then(function (result) {
          result.view.addEventListener("click", function (_event, item) {
            var row = item && item.datum && item.datum.row;
            if (!row || !row.href) return;
            // in an embed (another site's frame) the country page opens in a new tab
            if (window.self !== window.top) window.open(row.href, "_blank", "noopener");
            else window.location.assign(row.href);
          });
          var svg = el.querySelector("svg");
          if (svg) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", spec(el, []).description);
          }
          el.classList.add("is-drawn");
          // the legend is HTML: chart-tools.js draws it into the downloaded SVG/PNG
          el._legend = EQ.PARITY_CLASSES.map(function (c) {
            return { label: c.label + " (" + (counts[c.label] || 0) + ")", colour: c.colour };
          }).concat([{ label: EQ.NO_DATA, colour: EQ.NO_DATA_COLOUR }]);
          if (EQ.chartReady) EQ.chartReady(el, result.view); // SVG/PNG downloads
          drawLegend(document.getElementById(el.dataset.legend), counts);
          el.dataset.state = "ready";
          el.dataset.countries = String(rows.length);
        });
      })
      .catch(function (err) {
        el.dataset.state = "error";
        EQ.showStatus(el, EQ.t("The map could not be drawn (%(error)s). The table on this " +
          "page has the same values.", { error: err.message }), true);
      });
  }

  EQ.ready(function () {
    document.querySelectorAll(".js-map").forEach(render);
  });
})();
