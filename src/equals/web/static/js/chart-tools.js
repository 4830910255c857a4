/* The toolbar every chart carries (templates/_chart_tools.html): SVG and PNG download from the
 * chart's Vega view, a share link and an embed snippet with absolute URLs.
 *
 * Markup: <div class="js-chart-tools" data-chart="<id of the chart element>" data-title="…"
 *              data-share-url="/page?state#id" data-embed-url="/page?state&embed=1"
 *              data-embed-height="520"> with .js-download[data-format=svg|png] buttons (hidden
 *         until the chart is drawn), a .js-share link and a .js-embed-code textarea.
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

  function download(chart, format, name) {
    var view = chart && chart._view;
    if (!view) return Promise.resolve();
    if (format === "svg") {
      return view.toSVG().then(function (svg) {
        var blob = new Blob([svg], { type: "image/svg+xml;charset=utf-8" });
        save(URL.createObjectURL(blob), name + ".svg", true);
      });
    }
    return view.toImageURL("png", 2).then(function (url) { save(url, name + ".png", false); });
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
        download(target, button.dataset.format, name).catch(function (err) {
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
