// Cairn console: small plain behaviours, no framework (htmx does the live refresh).
(function () {
  'use strict';

  // Checks every JSON textarea of a form before it is sent; an empty one is allowed (no value).
  function checkJson(form) {
    var firstBad = null;
    form.querySelectorAll('textarea[data-json]').forEach(function (area) {
      var out = document.getElementById(area.id + '-error');
      var text = area.value.trim();
      var message = '';
      if (text !== '') {
        try {
          JSON.parse(text);
        } catch (e) {
          message = 'Not valid JSON: ' + e.message;
        }
      }
      area.setAttribute('aria-invalid', message ? 'true' : 'false');
      if (out) {
        out.textContent = message;
        out.hidden = !message;
      }
      if (message && !firstBad) {
        firstBad = area;
      }
    });
    if (firstBad) {
      firstBad.focus();
      return false;
    }
    return true;
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    if (!checkJson(form)) {
      event.preventDefault();
      return;
    }
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Expand or collapse the whole operations tree.
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-tree]') : null;
    if (!button) {
      return;
    }
    var open = button.getAttribute('data-tree') === 'open';
    document.querySelectorAll('#operations-tree details').forEach(function (d) {
      d.open = open;
    });
  });

  // A link to an operation (from the diagram or the history) opens the tree down to it.
  function revealHash() {
    if (location.hash.indexOf('#op-') !== 0) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(location.hash.substring(1)));
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === 'DETAILS') {
        el.open = true;
      }
    }
    if (target) {
      var summary = target.querySelector('summary');
      if (summary) {
        summary.focus();
      }
    }
  }
  window.addEventListener('hashchange', revealHash);
  document.addEventListener('DOMContentLoaded', revealHash);
}());
