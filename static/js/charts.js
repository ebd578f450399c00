/* Charts in two steps, so that opening a chart page costs no long task.
   1. At load, every chart is drawn at once as a light view (HTML bars, or an SVG ring for
      shares) from its <script type="application/json" data-chart-for="ID"> block: a few
      milliseconds, into the box whose height the template reserved (so nothing moves even
      when this runs after the first paint). Numbers shown are the spec's own formatted
      texts (published figures, never re-formatted here).
   2. plotly.js (data-chart-lib, one cached file) is loaded only when the reader engages with
      a chart (mouse over it, click or tap it), and that chart is redrawn interactively in the
      same box; each chart the reader engages with later is upgraded the same way.
   Data tables are open in the HTML (readers without JavaScript see them); charts.css shows
   them folded from the first paint when scripting is on, and this script folds them for
   real. No inline script anywhere: a strict Content-Security-Policy (script-src 'self')
   works. Below NARROW px plotly draws a spec's `narrow` alternative (bars, not a sunburst). */
(function () {
  'use strict';
  var NARROW = 520;
  var CONFIG = {displayModeBar: false, responsive: true, locale: 'zh-CN',
                scrollZoom: false, doubleClick: false, showTips: false};
  var SVG = 'http://www.w3.org/2000/svg';
  var script = document.currentScript;
  var LIB = script ? script.getAttribute('data-chart-lib') : null;
  var specs = {};
  var lib = 'none';  // none | loading | ready | failed
  var queue = [];

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function modeOf(el, spec) {
    var width = el.clientWidth || document.documentElement.clientWidth;
    return spec.narrow && width < NARROW ? 'narrow' : 'wide';
  }

  function pick(spec, mode) { return mode === 'narrow' ? spec.narrow : spec; }

  function colorOf(trace, traceIndex, itemIndex, layout) {
    var marker = trace.marker || {};
    var c = marker.colors || marker.color;
    if (Array.isArray(c)) { return c[itemIndex]; }
    if (c) { return c; }
    var way = layout.colorway || ['#0072B2'];
    return way[traceIndex % way.length];
  }

  /* The formatted text of item j: the bar's text, else the amount in its customdata. */
  function textOf(trace, j) {
    if (trace.text && trace.text[j] !== undefined) { return trace.text[j]; }
    var cd = trace.customdata ? trace.customdata[j] : null;
    if (Array.isArray(cd)) { return cd[cd.length - 1]; }
    return cd === null || cd === undefined ? '—' : cd;
  }

  function swatch(color) {
    var sw = node('span', 'cl-swatch');
    sw.style.background = color;
    return sw;
  }

  /* Bars (either orientation) and lines as one horizontal bar per category and trace; the
     rows have fixed heights (charts.css), matching the box height the template reserved. */
  function bars(chart) {
    var traces = chart.data;
    var horizontal = traces[0].orientation === 'h';
    var cats = horizontal ? traces[0].y : traces[0].x;
    var all = [0];
    traces.forEach(function (t) { all = all.concat((horizontal ? t.x : t.y).filter(isFinite)); });
    var low = Math.min.apply(null, all), span = (Math.max.apply(null, all) - low) || 1;
    var box = node('div', 'cl cl-bars');
    var width = 0;
    cats.forEach(function (cat, j) {
      var row = node('div', 'cl-row');
      row.appendChild(node('span', 'cl-label', cat));
      traces.forEach(function (t, i) {
        var v = (horizontal ? t.x : t.y)[j];
        var text = traces.length > 1 ? t.name + ' ' + textOf(t, j) : textOf(t, j);
        width = Math.max(width, ems(text));
        row.appendChild(barLine(v, low, span, colorOf(t, i, j, chart.layout), text));
      });
      box.appendChild(row);
    });
    /* One width for every value, so every track (and so every bar's scale) is the same. */
    Array.prototype.forEach.call(box.querySelectorAll('.cl-val'), function (e) {
      e.style.width = width + 'em';
    });
    return box;
  }

  /* A generous estimate of a text's width in em, without asking the browser (no layout). */
  function ems(text) {
    var w = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      w += code > 0x2e80 ? 1 : (code >= 48 && code <= 57 ? 0.62 : 0.5);
    }
    return Math.ceil(w * 10) / 10 + 0.2;
  }

  function barLine(v, low, span, color, text) {
    var line = node('div', 'cl-line');
    var track = node('span', 'cl-track');
    if (low < 0) {
      var zero = node('span', 'cl-zero');
      zero.style.left = (-low / span * 100) + '%';
      track.appendChild(zero);
    }
    if (v !== null && v !== undefined && isFinite(v)) {
      var bar = node('span', 'cl-bar');
      bar.style.left = ((Math.min(v, 0) - low) / span * 100) + '%';
      bar.style.width = (Math.abs(v) / span * 100) + '%';
      bar.style.background = color;
      track.appendChild(bar);
    }
    line.appendChild(track);
    line.appendChild(node('span', 'cl-val', text));
    return line;
  }

  /* Shares: a ring (one circle per slice, dashes sized by pathLength) and a legend. */
  function ring(chart) {
    var t = chart.data[0];
    var total = t.values.reduce(function (a, b) { return a + b; }, 0) || 1;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 42 42');
    svg.setAttribute('class', 'cl-ring');
    var start = 0;
    t.values.forEach(function (v, j) {
      var c = document.createElementNS(SVG, 'circle');
      var share = v / total * 100;
      var attrs = {cx: 21, cy: 21, r: 15.9, fill: 'none', 'stroke-width': 7, pathLength: 100,
                   stroke: colorOf(t, 0, j, chart.layout), 'stroke-dasharray': share + ' ' + (100 - share),
                   'stroke-dashoffset': 25 - start, 'class': 'cl-slice'};
      Object.keys(attrs).forEach(function (k) { c.setAttribute(k, attrs[k]); });
      svg.appendChild(c);
      start += share;
    });
    var box = node('div', 'cl cl-pie');
    box.appendChild(svg);
    var list = node('ul', 'cl-legend');
    t.labels.forEach(function (label, j) {
      var cd = t.customdata ? t.customdata[j] : [];
      var li = node('li');
      li.appendChild(swatch(colorOf(t, 0, j, chart.layout)));
      li.appendChild(document.createTextNode(label + ' ' + cd.join('，')));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  /* The light view does not depend on the screen width (a sunburst is shown as its `narrow`
     bars; plotly draws the ring later), so drawing it forces no layout. */
  function drawLight(el, spec) {
    var chart = spec.narrow && spec.data[0].type === 'sunburst' ? spec.narrow : spec;
    var view = chart.data[0].type === 'pie' ? ring(chart) : bars(chart);
    view.setAttribute('aria-hidden', 'true');
    el.textContent = '';
    el.appendChild(view);
    el.setAttribute('data-view', 'light');
  }

  function drawPlotly(el, spec, mode) {
    var chart = pick(spec, mode);
    var layout = Object.assign({}, chart.layout, {height: el.clientHeight || chart.layout.height});
    var light = el.querySelector('.cl');
    if (light) { el.removeChild(light); }
    el.setAttribute('data-mode', mode);
    el.setAttribute('data-view', 'plotly');
    return window.Plotly.react(el, chart.data, layout, CONFIG).then(function () {
      el.classList.add('is-drawn');
    });
  }

  function fold(id) {
    var details = document.getElementById(id + '-data');
    if (details && !details.hasAttribute('data-folded')) {
      details.setAttribute('data-folded', '');
      details.open = false;
    }
  }

  /* plotly.js draws one chart per task, in the order the reader engaged with them. */
  function pump() {
    var el = queue.shift();
    if (!el) { return; }
    var spec = specs[el.id];
    if (el.getAttribute('data-view') !== 'plotly') { drawPlotly(el, spec, modeOf(el, spec)); }
    if (queue.length) { window.setTimeout(pump, 0); }
  }

  function loadLibrary() {
    lib = 'loading';
    var s = document.createElement('script');
    s.src = LIB;
    s.onload = function () {
      lib = window.Plotly ? 'ready' : 'failed';
      if (lib === 'ready') { window.setTimeout(pump, 0); }
    };
    s.onerror = function () { lib = 'failed'; };
    document.head.appendChild(s);
  }

  /* Only the chart the reader points at or taps is upgraded: scrolling past the others on a
     slow phone stays smooth (a plotly draw is a long task there). */
  function engage(event) {
    var el = event.currentTarget;
    if (event.type === 'pointerover' && event.pointerType !== 'mouse') { return; }
    if (!LIB || lib === 'failed' || queue.indexOf(el) >= 0 || el.getAttribute('data-view') === 'plotly') {
      return;
    }
    queue.push(el);
    if (lib === 'none') { loadLibrary(); } else if (lib === 'ready' && queue.length === 1) {
      window.setTimeout(pump, 0);
    }
  }

  function start() {
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart-for]');
    document.documentElement.classList.add('has-charts');
    Array.prototype.forEach.call(blocks, function (block) {
      var id = block.getAttribute('data-chart-for');
      var el = document.getElementById(id);
      if (!el) { return; }
      specs[id] = JSON.parse(block.textContent);
      drawLight(el, specs[id]);
      fold(id);
      el.addEventListener('pointerover', engage);
      el.addEventListener('click', engage);
    });
  }

  /* After a resize, a plotly chart whose narrow/wide mode changed is drawn again. */
  function redrawChanged() {
    Object.keys(specs).forEach(function (id) {
      var el = document.getElementById(id), spec = specs[id];
      if (el.getAttribute('data-view') === 'plotly' && el.getAttribute('data-mode') !== modeOf(el, spec)) {
        drawPlotly(el, spec, modeOf(el, spec));
      }
    });
  }

  var timer = null;
  window.addEventListener('resize', function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(redrawChanged, 200);
  });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
