/**
 * The page's only script of its own: it replaces each server-drawn SVG with a live ECharts chart of the same option
 * (from the page's JSON), adding what a static SVG cannot do: tooltips and legend toggles. Without scripts the SVGs
 * stay. Tooltips print numbers and dates only, from `points`.
 */
export const CLIENT_SCRIPT = `(function () {
  var specs = JSON.parse(document.getElementById('fc-charts').textContent);
  var names = ['Actual', 'Forecast'];
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function num(v) { return v === null || v === undefined ? '' : v.toLocaleString('en-US', { maximumFractionDigits: 1 }); }
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    spec.option.tooltip.formatter = function (params) {
      var first = params[0];
      if (!first) return '';
      var p = (spec.points[first.axisIndex] || [])[first.dataIndex] || [];
      var lines = ['<b>' + esc(first.axisValue) + '</b>'];
      if (p[0] !== null && p[0] !== undefined) lines.push(names[0] + ': ' + num(p[0]));
      if (p[1] !== null && p[1] !== undefined) {
        lines.push(names[1] + ': ' + num(p[1]));
        lines.push('50%: ' + num(p[3]) + ' – ' + num(p[4]));
        lines.push('95%: ' + num(p[2]) + ' – ' + num(p[5]));
      }
      return lines.join('<br>');
    };
    el.textContent = '';
    echarts.init(el, null, { renderer: 'svg', width: spec.width, height: spec.height }).setOption(spec.option);
  });
})();`;
