// Progressive enhancement for the step-by-step editor: every button works as a plain form post
// without this file. It only hides the schedule's lists that do not apply to the choice made
// ("Day of the week" for a monthly schedule), so that a phone shows fewer fields.
(function () {
  'use strict';
  var kind = document.getElementById('f-schedule-kind');
  if (!kind) return;
  var parts = document.querySelectorAll('[data-schedule-for]');
  function show() {
    parts.forEach(function (part) {
      part.hidden = part.getAttribute('data-schedule-for').split(' ').indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener('change', show);
  show();
})();
