// Progressive enhancement for the library pages only: every action works as a plain form
// without this file. The editor gets a live preview (the same form posted with
// intent=preview, the preview and problems taken from the page the server answers), links
// from each problem to its line, a warning before leaving with unsaved text, and a copy of
// the text in the tab's session storage, offered back if a post lost it.
(function () {
  'use strict';

  var DRAFT = 'runbook-draft:';
  var storage = null;
  try {
    storage = window.sessionStorage;
  } catch {
    /* storage off: no drafts */
  }

  // After a save the runbook page says so (?done=…): the draft kept for its editor is spent.
  var done = new URLSearchParams(location.search).get('done');
  if (storage && done && /^\/runbooks\/[a-z0-9-]+$/.test(location.pathname)) {
    storage.removeItem(DRAFT + location.pathname + '/edit');
    if (done === 'created') storage.removeItem(DRAFT + '/runbooks/new');
  }

  var form = document.querySelector('form[data-editor]');
  if (!form) return;
  var text = form.querySelector('textarea[name="source"]');
  var preview = form.querySelector('[data-editor-preview]');
  var problems = form.querySelector('[data-editor-problems]');
  var csrf = form.querySelector('input[name="_csrf"]');
  if (!text || !preview || !problems) return;

  var loaded = text.value;
  var submitting = false;
  var timer = null;
  var pending = null;

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === 'preview') {
      event.preventDefault();
      refresh(true);
      return;
    }
    submitting = true;
  });

  window.addEventListener('beforeunload', function (event) {
    if (!submitting && text.value !== loaded) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  // A copy of the text in this tab, for when a post fails before the server could keep it
  // (the session ran out, the network dropped): the editor offers it back next time.
  var draftKey = DRAFT + form.getAttribute('action');
  var draft = storage && storage.getItem(draftKey);
  if (draft !== null && draft !== undefined && draft !== text.value && !problems.querySelector('.alert')) {
    var offer = document.createElement('p');
    offer.className = 'notice lib-draft';
    offer.setAttribute('role', 'status');
    offer.textContent = 'This tab has text you typed earlier that was not saved. ';
    var restore = document.createElement('button');
    restore.type = 'button';
    restore.className = 'button button--quiet';
    restore.textContent = 'Put it back in the editor';
    restore.addEventListener('click', function () {
      text.value = draft;
      offer.remove();
      text.focus();
      refresh(false);
    });
    offer.appendChild(restore);
    form.insertBefore(offer, form.querySelector('.lib-editor__grid'));
  }

  text.addEventListener('input', function () {
    if (storage) {
      try {
        storage.setItem(draftKey, text.value);
      } catch {
        /* full: no draft */
      }
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      refresh(false);
    }, 800);
  });

  // "line 14" in a problem (in the list, or marked in the preview) selects line 14 of the text.
  function toLine(event) {
    var link = event.target.closest('a[data-line]');
    if (!link) return;
    event.preventDefault();
    selectLine(Number(link.getAttribute('data-line')));
  }
  problems.addEventListener('click', toLine);
  preview.addEventListener('click', toLine);

  function selectLine(line) {
    var lines = text.value.split('\n');
    var index = Math.max(0, Math.min(lines.length, line) - 1);
    var start = 0;
    for (var i = 0; i < index; i++) start += lines[i].length + 1;
    text.focus();
    text.setSelectionRange(start, start + (lines[index] || '').length);
    var lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, index * lineHeight - text.clientHeight / 3);
  }

  function refresh(announce) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    var body = new URLSearchParams(new FormData(form));
    body.set('intent', 'preview');
    // A slug is checked when the runbook is created; a preview is about the text.
    body.delete('slug');
    preview.setAttribute('aria-busy', 'true');
    fetch(form.getAttribute('action'), {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf ? csrf.value : '', Accept: 'text/html' },
      signal: controller.signal,
    })
      .then(function (res) {
        return res.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var nextPreview = page.querySelector('[data-editor-preview]');
        var nextProblems = page.querySelector('[data-editor-problems]');
        // Anything else (the sign-in page, an error page): leave the page alone; the buttons still post.
        if (!nextPreview || !nextProblems) return;
        if (!announce) {
          var alert = nextProblems.querySelector('[role="alert"]');
          if (alert) alert.removeAttribute('role');
        }
        preview.replaceChildren.apply(preview, Array.from(nextPreview.childNodes));
        problems.replaceChildren.apply(problems, Array.from(nextProblems.childNodes));
        var invalid = problems.querySelector('#f-source-error') !== null;
        text.setAttribute('aria-describedby', invalid ? 'f-source-hint f-source-error' : 'f-source-hint');
        if (invalid) text.setAttribute('aria-invalid', 'true');
        else text.removeAttribute('aria-invalid');
        var field = text.closest('.field');
        if (field) field.classList.toggle('field--error', invalid);
      })
      .catch(function () {
        /* offline or aborted: the Preview button still posts the form */
      })
      .then(function () {
        if (pending === controller) {
          pending = null;
          preview.removeAttribute('aria-busy');
        }
      });
  }
})();
