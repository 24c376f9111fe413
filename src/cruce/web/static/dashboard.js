// The scenario dashboard: runs scenarios through POST /v1/simulations and draws their bands.
// Data arrive as data-* attributes; the DOM is built with createElement/textContent only.
const form = document.getElementById('run');
const scenarios = JSON.parse(form.dataset.scenarios);
const panels = JSON.parse(form.dataset.panels);
const colours = JSON.parse(form.dataset.colours);
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

function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined) { node.textContent = text; }
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
}

function drawCharts(jobs) {
  const charts = document.getElementById('charts');
  charts.replaceChildren();
  // all cells first, so the grid has its columns before Plotly measures them
  const cells = panels.map(([metric, title]) => {
    const div = element('div', undefined, {class: 'chart', role: 'img',
      'aria-label': title + ': median and 5–95% band per month'});
    charts.appendChild(div);
    return div;
  });
  const source = 'Source: Cruce simulation of ' + jobs.map(job => job.scenario + ' (' +
    job.progress.replicates + ' replicates, seed ' + job.seed + ')').join(', ') +
    '; data: the shipped tables, src/cruce/data/SOURCES.md; method: docs/methods.md';
  panels.forEach(([metric, title, dashed, unit], p) => {
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
    Plotly.newPlot(cells[p], traces, {title: {text: title, font: {size: 14}}, height: 420,
      margin: {t: 40, l: 70, r: 10, b: 130}, template: 'plotly_white',
      xaxis: {title: {text: 'month'}}, yaxis: {title: {text: unit}, tickformat: '~s'},
      showlegend: true, legend: {orientation: 'h', y: -0.25, yanchor: 'top', font: {size: 10}}},
      {displaylogo: false, responsive: true});
  });
  // One source line under the panels, which all come from the same runs.
  charts.appendChild(element('p', source, {class: 'source', id: 'charts-source'}));
}

function drawSummary(jobs) {
  const table = document.getElementById('summary');
  const f = v => v === null ? '–' : Math.round(v).toLocaleString('en-US');
  const head = element('tr');
  head.appendChild(element('th', 'measure', {scope: 'col'}));
  jobs.forEach(j => head.appendChild(element('th', j.scenario, {scope: 'col'})));
  const thead = element('thead');
  thead.appendChild(head);
  const tbody = element('tbody');
  jobs[0].summary.forEach((row, k) => {
    const tr = element('tr');
    tr.appendChild(element('th', row.metric.replaceAll('_', ' ') + ' (' + row.over_horizon + ')',
      {scope: 'row'}));
    jobs.forEach(j => {
      const s = j.summary[k];
      tr.appendChild(element('td', f(s.p50) + ' [' + f(s.p05) + ' – ' + f(s.p95) + ']'));
    });
    tbody.appendChild(tr);
  });
  table.replaceChildren(element('caption', 'Median [5% – 95%] over replicates'), thead, tbody);
}

// Years to the 2017 hiring targets, applicants and cost: the server's texts, side by side.
function drawHiring(jobs) {
  const table = document.getElementById('hiring');
  const head = element('tr');
  ['agency', 'measure'].forEach(h => head.appendChild(element('th', h, {scope: 'col'})));
  jobs.forEach(j => head.appendChild(element('th', j.scenario, {scope: 'col'})));
  const thead = element('thead');
  thead.appendChild(head);
  const tbody = element('tbody');
  const key = r => r.agency + '|' + r.measure;
  const keys = [];
  jobs.forEach(j => j.hiring.forEach(r => { if (!keys.includes(key(r))) { keys.push(key(r)); } }));
  keys.forEach(k => {
    const [agency, measure] = k.split('|');
    const tr = element('tr');
    tr.appendChild(element('th', agency.replaceAll('_', ' '), {scope: 'row'}));
    tr.appendChild(element('td', measure));
    jobs.forEach(j => {
      const found = j.hiring.find(r => key(r) === k);
      tr.appendChild(element('td', found ? found.text : '–'));
    });
    tbody.appendChild(tr);
  });
  table.replaceChildren(element('caption', 'Hiring toward the 2017 targets — Contratación ' +
    'hacia las metas de 2017: median (5%–95%) over replicates / mediana (5%–95%) entre réplicas'),
    thead, tbody);
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
    drawCharts(jobs);
    drawSummary(jobs);
    drawHiring(jobs);
    statusLine.textContent = 'Done: ' + jobs.map(j => j.scenario).join(' vs ') + '.';
  } catch (error) {
    statusLine.textContent = 'Error: ' + error.message;
  }
});

// --- Exposure, with the population's assumptions as controls ---------------------------------
const exposureForm = document.getElementById('exposure');
const exposureStatus = document.getElementById('exposure-status');
const outcomes = [['ER_AVAILABLE', 'expedited removal available', '#b2182b'],
  ['UNDECIDED', 'undecided (depends on unknown facts)', '#999999']];

function assumptionsGiven() {
  const given = {};
  document.querySelectorAll('#exposure .assumption').forEach(input => {
    given[input.dataset.name] = parseFloat(input.value);
  });
  return given;
}

function drawExposure(answer) {
  const people = v => Math.round(v).toLocaleString('en-US');
  const shares = Object.entries(answer.assumptions)
    .filter(([, v]) => typeof v === 'number').map(([k, v]) => k + ' ' + v).join('; ');
  const x = answer.headline.map(row => row.point);
  const traces = outcomes.map(([key, words, colour]) => ({type: 'bar', name: words, x: x,
    y: answer.headline.map(row => row[key]), marker: {color: colour}}));
  Plotly.newPlot('exposure-chart', traces, {barmode: 'stack', height: 380,
    title: {text: 'People exposed to expedited removal (of 11.4 million)', font: {size: 14}},
    yaxis: {title: {text: 'persons (weighted)'}}, template: 'plotly_white',
    margin: {t: 50, l: 80, r: 10, b: 130},
    annotations: [{text: 'Assumptions: ' + shares + ' — synthetic population of ' +
      people(answer.size) + ', seed ' + answer.seed + '<br>Source: Cruce, rules in force at ' +
      'each instant; population raked to the shipped unauthorized_population_*.csv tables ' +
      '(data/SOURCES.md)', xref: 'paper', yref: 'paper', x: 0, y: -0.36, showarrow: false,
      xanchor: 'left', align: 'left', font: {size: 10}}]},
    {displaylogo: false, responsive: true});
  const table = document.getElementById('exposure-table');
  const head = element('tr');
  ['instant (regime)', ...outcomes.map(o => o[1]), 'not available'].forEach(
    t => head.appendChild(element('th', t, {scope: 'col'})));
  const thead = element('thead');
  thead.appendChild(head);
  const tbody = element('tbody');
  answer.headline.forEach(row => {
    const tr = element('tr');
    tr.appendChild(element('th', row.point, {scope: 'row'}));
    [...outcomes.map(o => o[0]), 'ER_NOT_AVAILABLE'].forEach(
      key => tr.appendChild(element('td', people(row[key]))));
    tbody.appendChild(tr);
  });
  table.replaceChildren(element('caption', 'Assumptions: ' + shares), thead, tbody);
}

exposureForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  exposureStatus.textContent = 'Computing…';
  const body = {at: document.getElementById('exposure-at').value.split(',')
    .map(s => s.trim()).filter(s => s), assumptions: assumptionsGiven(),
    size: parseInt(document.getElementById('exposure-size').value, 10)};
  try {
    const response = await fetch('/v1/exposure', {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    const answer = await response.json();
    if (!response.ok) { throw new Error(answer.detail || answer.title); }
    drawExposure(answer);
    exposureStatus.textContent = 'Done.';
  } catch (error) {
    exposureStatus.textContent = 'Error: ' + error.message;
  }
});
