// Draws each chart of the audit report from its figure (a data-figure attribute holding Plotly
// JSON), so the page needs no inline script.
document.querySelectorAll('[data-figure]').forEach((div) => {
  const figure = JSON.parse(div.dataset.figure);
  div.style.height = div.dataset.height + 'px';
  Plotly.newPlot(div, figure.data, figure.layout, {displaylogo: false, responsive: true});
});
