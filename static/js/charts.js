/* Draw every chart of the page from its <script type="application/json" data-chart-for="ID">
   block into the element with that id. No inline script anywhere, so a strict
   Content-Security-Policy (script-src 'self') works. Below NARROW px a spec's `narrow`
   alternative (bars instead of a sunburst) is drawn. Once a chart is drawn its data table
   (open by default, so readers without JavaScript see it) is folded away. */
(function () {
  'use strict';
  var NARROW = 520;
  var CONFIG = {displayModeBar: false, responsive: true, locale: 'zh-CN',
                scrollZoom: false, doubleClick: false, showTips: false};

  function blocks() {
    return Array.prototype.slice.call(
      document.querySelectorAll('script[type="application/json"][data-chart-for]'));
  }

  function draw(block) {
    var id = block.getAttribute('data-chart-for');
    var el = document.getElementById(id);
    if (!el || !window.Plotly) { return; }
    var spec = JSON.parse(block.textContent);
    var width = el.clientWidth || document.documentElement.clientWidth;
    var mode = spec.narrow && width < NARROW ? 'narrow' : 'wide';
    if (el.getAttribute('data-mode') === mode) { return; }
    var chosen = mode === 'narrow' ? spec.narrow : spec;
    el.setAttribute('data-mode', mode);
    window.Plotly.react(el, chosen.data, chosen.layout, CONFIG).then(function () {
      el.classList.add('is-drawn');
      var details = document.getElementById(id + '-data');
      if (details && !details.hasAttribute('data-folded')) {
        details.setAttribute('data-folded', '');
        details.open = false;
      }
    });
  }

  function drawAll() {
    document.documentElement.classList.add('has-charts');
    blocks().forEach(draw);
  }

  var timer = null;
  function onResize() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(drawAll, 200);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
  window.addEventListener('resize', onResize);
}());
