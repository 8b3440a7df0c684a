// Show the § 9 in-force date (the day after signing) while the signing date is typed.
// Without JavaScript, "Erneut prüfen" shows the same sentence from the server.
(function () {
  "use strict";
  var input = document.getElementById("id_signed_on");
  var target = document.querySelector("[data-in-force]");
  if (!input || !target) return;
  var format = new Intl.DateTimeFormat(document.documentElement.lang || "de", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
  });
  function update() {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
    if (!parts) {
      target.textContent = target.dataset.inForceNone;
      return;
    }
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3] + 1));
    target.textContent = target.dataset.inForceTemplate.replace("{date}", format.format(day));
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
})();
