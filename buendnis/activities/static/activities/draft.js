// Keep what was typed in the browser until the server has it: a dropped connection on the
// bus loses nothing. Values are stored per activity and version in localStorage and
// restored on the next visit. Only the page after a successful save clears them
// (data-draft-clear), so a submit that never reaches the server keeps the draft.
(function () {
  "use strict";
  if (!window.localStorage) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (el) {
    el.dataset.draftClear.split(" ").forEach(function (done) {
      localStorage.removeItem("buendnis-draft-" + done);
    });
  });
  // A page that links to a form with unsent input says so (e.g. after Back from the form).
  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-resume]"), function (el) {
    if (localStorage.getItem("buendnis-draft-" + el.dataset.draftResume)) { el.hidden = false; }
  });
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = "buendnis-draft-" + form.dataset.draftKey;
  var status = form.querySelector(".draft-status");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }

  function save() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    try {
      localStorage.setItem(key, JSON.stringify(values));
      if (status) { status.textContent = status.dataset.saved || "Entwurf auf diesem Gerät gesichert."; }
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function restore() {
    var raw = localStorage.getItem(key);
    if (!raw) { return; }
    var values = JSON.parse(raw);
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in values) { el.checked = values[k]; }
      } else if (el.name in values && el.type !== "hidden") {
        el.value = values[el.name];
      }
    });
    if (status) { status.textContent = status.dataset.restored || "Ungespeicherte Eingaben wiederhergestellt."; }
  }

  restore();
  // "Verwerfen": the user drops this entry, so the browser forgets it too.
  Array.prototype.forEach.call(form.querySelectorAll("[data-draft-discard]"), function (el) {
    el.addEventListener("click", function () { localStorage.removeItem(key); });
  });
  // Without a connection the browser would swap the form for an error page (and Back would
  // skip it): stay on the form, keep the draft, and say so.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      save();
      if (status) { status.textContent = status.dataset.offline || "Keine Verbindung."; }
    }
  });
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
