/* The toolbar every chart carries (templates/_chart_tools.html): SVG and PNG download from the
 * chart's Vega view (with the chart's title above it and its legend, source line and link
 * below, as OWID grapher's downloads), a share link and an embed snippet with absolute URLs.
 *
 * Markup: <div class="js-chart-tools" data-chart="<id of the chart element>" data-title="…"
 *              data-share-url="/page?state#id" data-embed-url="/page?state&embed=1"
 *              data-embed-height="520"> with .js-download[data-format=svg|png] buttons (hidden
 *         until the chart is drawn), a .js-share link and a .js-embed-code textarea.
 * The toolbar's data-source is the source line of the exported image; a chart whose legend is
 * HTML (the parity map) sets element._legend = [{label, colour}] for the image.
 * A chart script announces its view with EQUALS.chartReady(element, view) once vegaEmbed has
 * drawn it (scripts that do not know this file may set element._view and dispatch the
 * "equals:chart-ready" event instead). Loaded with the Vega scripts (vega_scripts()), so before
 * every chart script. No inline script, nothing evaluated (strict CSP).
 */
(function () {
  "use strict";
  var EQ = window.EQUALS;
  var READY = "equals:chart-ready";

  function slug(text) {
    return (text || "chart").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      "chart";
  }

  function absolute(url) {
    return new URL(url, window.location.href).href;
  }

  function toolbars(chartId) {
    return document.querySelectorAll('.js-chart-tools[data-chart="' + chartId + '"]');
  }

  function showDownloads(chart) {
    if (!chart || !chart.id || !chart._view) return;
    toolbars(chart.id).forEach(function (box) {
      box.querySelectorAll(".js-download").forEach(function (b) { b.hidden = false; });
    });
  }

  // Called by the chart scripts: remember the view, show the SVG/PNG buttons.
  function chartReady(el, view) {
    el._view = view;
    showDownloads(el);
    el.dispatchEvent(new CustomEvent(READY, { bubbles: true }));
  }

  function save(url, name, revoke) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.rel = "noopener";
    document.body.appendChild(a);
    a.click();
    a.remove();
    if (revoke) setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // -- the exported image: title above the chart, legend and source line below (as OWID
  // grapher's downloads have them), so that a saved file still says what it shows and where
  // the numbers come from.
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var PAD = 16;
  var LEGEND_COLUMN = 160;

  function wrap(text, width, size) {
    var perLine = Math.max(20, Math.floor(width / (size * 0.55)));
    var words = String(text || "").split(/\s+/).filter(Boolean);
    var lines = [];
    var line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > perLine) {
        lines.push(line);
        line = w;
      } else {
        line = line ? line + " " + w : w;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  // Where each piece goes, for a chart of width w and height h (CSS pixels).
  function layout(meta, w, h) {
    var inner = Math.max(w, 320);
    var title = wrap(meta.title, inner, 16);
    var foot = wrap(meta.source, inner, 11).concat(meta.link ? [meta.link] : []);
    var legend = meta.legend || [];
    var top = PAD + title.length * 20 + 6;
    var perRow = Math.max(1, Math.floor(inner / LEGEND_COLUMN));
    var legendRows = Math.ceil(legend.length / perRow);
    var legendTop = top + h + (legend.length ? 10 : 0);
    var footTop = legendTop + legendRows * 18 + 8;
    return {
      width: inner + 2 * PAD, height: footTop + foot.length * 15 + PAD, top: top,
      title: title, foot: foot, legend: legend, perRow: perRow, legendTop: legendTop,
      footTop: footTop,
    };
  }

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  }

  function framedSVG(svg, meta) {
    var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    var root = doc.documentElement;
    var w = parseFloat(root.getAttribute("width")) || 600;
    var h = parseFloat(root.getAttribute("height")) || 400;
    var L = layout(meta, w, h);
    root.setAttribute("x", String(PAD));
    root.setAttribute("y", String(L.top));
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + L.width + '" height="' +
      L.height + '" viewBox="0 0 ' + L.width + " " + L.height + '" font-family="' + esc(FONT) + '">',
      '<rect width="100%" height="100%" fill="#ffffff"/>'];
    L.title.forEach(function (t, i) {
      out.push('<text x="' + PAD + '" y="' + (PAD + 14 + i * 20) +
        '" font-size="16" font-weight="600" fill="#1d2230">' + esc(t) + "</text>");
    });
    out.push(new XMLSerializer().serializeToString(root));
    L.legend.forEach(function (item, i) {
      var x = PAD + (i % L.perRow) * LEGEND_COLUMN;
      var y = L.legendTop + Math.floor(i / L.perRow) * 18;
      out.push('<rect x="' + x + '" y="' + y + '" width="12" height="12" fill="' +
        esc(item.colour) + '"/><text x="' + (x + 16) + '" y="' + (y + 10) +
        '" font-size="11" fill="#1d2230">' + esc(item.label) + "</text>");
    });
    L.foot.forEach(function (t, i) {
      out.push('<text x="' + PAD + '" y="' + (L.footTop + 11 + i * 15) +
        '" font-size="11" fill="#4a5163">' + esc(t) + "</text>");
    });
    out.push("</svg>");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + out.join("\n");
  }

  function framedPNG(canvas, meta, scale) {
    var w = canvas.width / scale;
    var h = canvas.height / scale;
    var L = layout(meta, w, h);
    var out = document.createElement("canvas");
    out.width = Math.round(L.width * scale);
    out.height = Math.round(L.height * scale);
    var ctx = out.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, L.width, L.height);
    ctx.fillStyle = "#1d2230";
    ctx.font = "600 16px " + FONT;
    L.title.forEach(function (t, i) { ctx.fillText(t, PAD, PAD + 14 + i * 20); });
    ctx.drawImage(canvas, PAD, L.top, w, h);
    ctx.font = "11px " + FONT;
    L.legend.forEach(function (item, i) {
      var x = PAD + (i % L.perRow) * LEGEND_COLUMN;
      var y = L.legendTop + Math.floor(i / L.perRow) * 18;
      ctx.fillStyle = item.colour;
      ctx.fillRect(x, y, 12, 12);
      ctx.fillStyle = "#1d2230";
      ctx.fillText(item.label, x + 16, y + 10);
    });
    ctx.fillStyle = "#4a5163";
    L.foot.forEach(function (t, i) { ctx.fillText(t, PAD, L.footTop + 11 + i * 15); });
    return out.toDataURL("image/png");
  }

  function download(chart, format, name, meta) {
    var view = chart && chart._view;
    if (!view) return Promise.resolve();
    var info = Object.assign({ legend: chart._legend || [] }, meta || {});
    if (format === "svg") {
      return view.toSVG().then(function (svg) {
        var blob = new Blob([framedSVG(svg, info)], { type: "image/svg+xml;charset=utf-8" });
        save(URL.createObjectURL(blob), name + ".svg", true);
      });
    }
    return view.toCanvas(2).then(function (canvas) {
      save(framedPNG(canvas, info, 2), name + ".png", false);
    });
  }

  function wire(box) {
    if (box.dataset.wired) return;
    box.dataset.wired = "1";
    var framed = window.self !== window.top;
    var chart = document.getElementById(box.dataset.chart);
    var name = slug(box.dataset.title || (chart && chart.dataset.title));
    box.querySelectorAll(".js-download").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(box.dataset.chart);
        var meta = {
          title: box.dataset.title || (target && target.dataset.title) || "",
          source: box.dataset.source || "",
          link: "EQUALS Hub · " + absolute(box.dataset.shareUrl || window.location.href),
        };
        download(target, button.dataset.format, name, meta).catch(function (err) {
          button.title = "Download failed: " + err.message;
        });
      });
    });
    var share = box.querySelector(".js-share");
    if (share) {
      var link = absolute(box.dataset.shareUrl);
      share.href = link;
      if (framed) {
        // In an embed the link opens the full page on EQUALS Hub, not inside the frame.
        share.target = "_blank";
        share.rel = "noopener";
      } else {
        share.addEventListener("click", function (event) {
          if (navigator.clipboard && window.isSecureContext) {
            event.preventDefault();
            navigator.clipboard.writeText(link).then(function () {
              share.textContent = share.dataset.copied || "Link copied";
            });
          }
        });
      }
    }
    var code = box.querySelector(".js-embed-code");
    if (code && box.dataset.embedUrl) {
      var title = (box.dataset.title || "EQUALS Hub chart").replace(/&/g, "&amp;")
        .replace(/"/g, "&quot;").replace(/</g, "&lt;");
      code.value = '<iframe src="' + absolute(box.dataset.embedUrl).replace(/"/g, "%22") +
        '" width="100%" height="' + (Number(box.dataset.embedHeight) || 520) +
        '" loading="lazy" title="' + title + '"></iframe>';
      code.addEventListener("focus", function () { code.select(); });
    }
    showDownloads(chart);
  }

  document.addEventListener(READY, function (event) { showDownloads(event.target); });

  EQ.chartReady = chartReady;
  EQ.chartTools = { wire: wire, download: download, slug: slug };
  EQ.ready(function () { document.querySelectorAll(".js-chart-tools").forEach(wire); });
})();
