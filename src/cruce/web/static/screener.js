// "Link to this result": the answers travel in the link's fragment (#...), which a browser never
// sends to a server. Opening such a link, the page posts the answers to the screener in the
// request body (never in a URL, so no access log holds them) and shows the result it returns.
function rebuildFromFragment() {
  const answers = location.hash.slice(1);
  if (!answers.startsWith('_asked=')) return;
  fetch(location.pathname + location.search, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: answers,
  })
    .then((response) => response.text())
    .then((html) => {
      const page = new DOMParser().parseFromString(html, 'text/html');
      document.querySelector('main').replaceWith(page.querySelector('main'));
      document.title = page.title;
      const result = document.querySelector('.cards');
      if (result) result.setAttribute('data-rebuilt', 'fragment');
    });
}
window.addEventListener('hashchange', rebuildFromFragment);
rebuildFromFragment();
