"""The scenario dashboard page: choose or edit a scenario, run it with progress, see the bands,
compare two. The page talks to ``POST /v1/simulations``; Plotly's JavaScript is served from the
installed package (``/static/plotly.min.js``), never a CDN."""

from __future__ import annotations

import html
import json
from pathlib import Path

from cruce.simulation.report import COLOURS, DASHED, PANELS
from cruce.simulation.scenario import shipped_scenarios
from cruce.web.pages import NAV, NOTICE, STYLE


def plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


SCRIPT = """
const scenarios = JSON.parse(document.getElementById('scenarios').textContent);
const panels = JSON.parse(document.getElementById('panels').textContent);
const colours = JSON.parse(document.getElementById('colours').textContent);
const form = document.getElementById('run');
const yamlA = document.getElementById('yaml-a');
const pickA = document.getElementById('scenario-a');
const pickB = document.getElementById('scenario-b');
const statusLine = document.getElementById('status');
pickA.addEventListener('change', () => { yamlA.value = scenarios[pickA.value]; });
yamlA.value = scenarios[pickA.value];

async function start(body) {
  const response = await fetch('/v1/simulations', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const answer = await response.json();
  if (!response.ok) { throw new Error(answer.detail || answer.title); }
  return answer.id;
}

async function finish(id, bar) {
  for (;;) {
    const response = await fetch('/v1/simulations/' + id + '?bands=true');
    const job = await response.json();
    bar.max = job.progress.replicates; bar.value = job.progress.replicates_done;
    if (job.status === 'done') { return job; }
    if (job.status === 'failed') { throw new Error(job.error); }
    await new Promise(r => setTimeout(r, 400));
  }
}

function draw(jobs) {
  const charts = document.getElementById('charts');
  charts.innerHTML = '';
  // all cells first, so the grid has its columns before Plotly measures them
  const cells = panels.map(([metric, title]) => {
    const div = document.createElement('div');
    div.className = 'chart'; div.setAttribute('role', 'img');
    div.setAttribute('aria-label', title + ': median and 5–95% band per month');
    charts.appendChild(div);
    return div;
  });
  panels.forEach(([metric, title, dashed], p) => {
    const div = cells[p];
    const traces = [];
    jobs.forEach((job, i) => {
      const colour = colours[i];
      [[metric, 'solid'], [dashed, 'dash']].forEach(([name, dash]) => {
        if (!name) { return; }
        const rows = job.bands.filter(b => b.metric === name);
        const x = rows.map(r => r.month);
        if (dash === 'solid') {
          traces.push({x: x.concat(x.slice().reverse()),
            y: rows.map(r => r.p95).concat(rows.map(r => r.p05).reverse()),
            fill: 'toself', fillcolor: colour, opacity: 0.18, line: {width: 0},
            hoverinfo: 'skip', showlegend: false});
        }
        traces.push({x: x, y: rows.map(r => r.p50), name: job.scenario + (dash === 'dash' ?
          ' (' + name.replaceAll('_', ' ') + ')' : ''), line: {color: colour, dash: dash}});
      });
    });
    Plotly.newPlot(div, traces, {title: {text: title, font: {size: 14}}, height: 300,
      margin: {t: 40, l: 60, r: 10, b: 40}, showlegend: false, template: 'plotly_white'},
      {displaylogo: false, responsive: true});
  });
  const table = document.getElementById('summary');
  const names = jobs.map(j => j.scenario);
  let rows = '<caption>Median [5% – 95%] over replicates</caption><thead><tr><th scope="col">'
    + 'measure</th>' + names.map(n => '<th scope="col">' + n + '</th>').join('') + '</tr></thead>';
  jobs[0].summary.forEach((row, k) => {
    rows += '<tr><th scope="row">' + row.metric.replaceAll('_', ' ') + ' (' + row.over_horizon
      + ')</th>' + jobs.map(j => { const s = j.summary[k];
        const f = v => v === null ? '–' : Math.round(v).toLocaleString('en-US');
        return '<td>' + f(s.p50) + ' [' + f(s.p05) + ' – ' + f(s.p95) + ']</td>'; }).join('')
      + '</tr>';
  });
  table.innerHTML = rows;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const replicates = parseInt(document.getElementById('replicates').value, 10);
  const bars = [document.getElementById('progress-a'), document.getElementById('progress-b')];
  statusLine.textContent = 'Running…';
  try {
    const requests = [{scenario_yaml: yamlA.value, replicates: replicates}];
    if (pickB.value) { requests.push({scenario: pickB.value, replicates: replicates}); }
    const ids = await Promise.all(requests.map(start));
    const jobs = await Promise.all(ids.map((id, i) => finish(id, bars[i])));
    draw(jobs);
    statusLine.textContent = 'Done: ' + jobs.map(j => j.scenario).join(' vs ') + '.';
  } catch (error) {
    statusLine.textContent = 'Error: ' + error.message;
  }
});
"""


def _data(name: str, value: object) -> str:
    """Data for the script, as JSON that cannot close its <script> element."""
    text = json.dumps(value).replace("</", "<\\/")
    return f'<script type="application/json" id="{name}">{text}</script>'


def page() -> str:
    shipped = shipped_scenarios()
    options = "".join(
        f'<option value="{html.escape(n)}">{html.escape(n)}</option>' for n in shipped
    )
    panels = [[m, t, DASHED.get(m)] for m, t in PANELS]
    data = "".join(
        _data(name, value)
        for name, value in (("scenarios", shipped), ("panels", panels), ("colours", COLOURS))
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cruce — scenario dashboard</title><style>{STYLE}
textarea {{ width: 100%; font-family: monospace; font-size: .8rem; }}
label {{ display: block; font-weight: 600; margin: .8rem 0 .2rem; }}
#charts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
           gap: .5rem; }}
button {{ margin-top: 1rem; font-size: 1rem; padding: .5rem 1.2rem; }}
progress {{ width: 100%; }} .chart {{ min-width: 0; }}
</style><script src="/static/plotly.min.js"></script></head><body>{NAV}<main>
<h1>Scenario dashboard</h1>
<p class="notice"><strong>{NOTICE}</strong> A model of flows with stated assumptions
(see docs/methods.md), not a forecast.</p>
<form id="run">
<label for="scenario-a">Scenario</label>
<select id="scenario-a">{options}</select>
<label for="yaml-a">Scenario as YAML (edit any field or parameter)</label>
<textarea id="yaml-a" rows="14" spellcheck="false"></textarea>
<label for="scenario-b">Compare with (optional)</label>
<select id="scenario-b"><option value="">— none —</option>{options}</select>
<label for="replicates">Replicates</label>
<input id="replicates" type="number" min="1" max="500" value="100">
<button type="submit">Run</button>
</form>
<label for="progress-a">Progress, first scenario</label>
<progress id="progress-a" value="0"></progress>
<label for="progress-b">Progress, second scenario</label>
<progress id="progress-b" value="0"></progress>
<p id="status" role="status" aria-live="polite"></p>
<div id="charts"></div>
<div class="scroll"><table id="summary"></table></div>
</main>{data}<script>{SCRIPT}</script></body></html>"""
