// Ticking without a page reload. Every form on the run page works without this file; with it,
// a form is posted in the background and the run is redrawn from the server's answer (the
// same HTML a reload would show), keeping the keyboard focus where it was.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var run = form.closest && form.closest('.run');
    if (!run || form.method.toLowerCase() !== 'post' || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector('button[type=submit]');
    var focusKey = button && button.getAttribute('data-focus');
    if (button) button.setAttribute('aria-busy', 'true');
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'X-Requested-With': 'fetch' },
      credentials: 'same-origin',
    })
      .then(function (response) {
        return response.text().then(function (html) {
          if (!/^\s*<(p|div)/.test(html)) throw new Error('not a run');
          return html;
        });
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('.run');
        if (!fresh) throw new Error('not a run');
        var oldNotice = document.getElementById('run-notice');
        if (oldNotice) oldNotice.remove();
        var notice = doc.getElementById('run-notice');
        run.replaceWith(fresh);
        // A refusal of a step's form sits beside its buttons, inside the run; any other goes on top.
        if (notice && !fresh.contains(notice)) fresh.parentNode.insertBefore(notice, fresh);
        var target = (focusKey && fresh.querySelector('[data-focus="' + focusKey + '"]')) || notice;
        if (target) {
          if (target === notice) notice.setAttribute('tabindex', '-1');
          target.focus();
        }
      })
      .catch(function () {
        form.submit(); // fall back to the plain form
      });
  });
})();
