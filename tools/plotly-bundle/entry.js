// Only plotly.js core (which includes scatter) and the trace types the site draws, plus the
// zh-CN locale. Adding a trace type grows every chart page's download: keep it under 450 KB gzip.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/pie'),
  require('plotly.js/lib/sunburst'),
  require('plotly.js/lib/locales/zh-cn'),
]);

module.exports = Plotly;
