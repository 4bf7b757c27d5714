// A dashboard chart whose query returns no rows says so in one line (its `empty`
// text from metadata.yml, or a default) instead of drawing an empty frame.
// Loaded after datasette-dashboards' dashboards.js, whose renderChart looks the
// renderers up by name when it runs: replacing them here is enough.
(function () {
  function wrap(render) {
    return async function (chart_slug, chart, query_string, absolute_url, full_height) {
      const response = await fetch(getDataUrl(chart, query_string, absolute_url))
      const data = await response.json()
      if (!data.rows || data.rows.length === 0) {
        const el = document.querySelector(`#chart-${chart_slug}`)
        const p = document.createElement('p')
        p.className = 'no-data'
        p.textContent = chart.empty || 'No data for this chart in the chosen source and dates.'
        el.replaceChildren(p)
        return
      }
      return render(chart_slug, chart, query_string, absolute_url, full_height)
    }
  }
  renderVegaLiteChart = wrap(renderVegaLiteChart)
  renderVegaChart = wrap(renderVegaChart)
})()
