// The "report is being prepared" page updates itself in place, without a reload (WCAG 2.2.1:
// no meta refresh). While the job is pending or running it fetches the same page again every
// data-poll milliseconds, swaps the [data-job-view] part and the container's data-state, and
// puts the new announcement into the status region, which stays in place so screen readers
// read the change. Focus is never moved. Without JavaScript, or when the server cannot be
// reached, the page keeps its "Stand aktualisieren" link.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box || !window.fetch || !window.DOMParser) { return; }
  var interval = parseInt(box.dataset.poll, 10) || 1500;
  var announcer = box.querySelector("[data-announce]");
  var failures = 0;
  var MAX_FAILURES = 10;

  function unfinished(state) {
    return state === "pending" || state === "running";
  }

  function showReload(root, shown) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-reload]"), function (el) {
      el.hidden = !shown;
    });
  }

  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var next = fresh.getElementById("report-job");
    var view = box.querySelector("[data-job-view]");
    var nextView = next && next.querySelector("[data-job-view]");
    if (!nextView || !view) { throw new Error("no report status in the answer"); }
    var state = next.dataset.state;
    showReload(nextView, !unfinished(state));
    if (nextView.innerHTML !== view.innerHTML) {
      view.replaceWith(document.importNode(nextView, true));
    }
    box.dataset.state = state;
    var said = next.querySelector("[data-announce]");
    if (announcer && said && announcer.textContent !== said.textContent) {
      announcer.textContent = said.textContent;
    }
    if (fresh.title) { document.title = fresh.title; }
    return state;
  }

  function poll() {
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      cache: "no-store",
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      failures = 0;
      if (unfinished(apply(html))) { window.setTimeout(poll, interval); }
    }).catch(function () {
      failures += 1;
      showReload(box, true);
      if (failures < MAX_FAILURES) {
        window.setTimeout(poll, Math.min(interval * Math.pow(2, failures), 30000));
      }
    });
  }

  if (unfinished(box.dataset.state)) {
    showReload(box, false);
    window.setTimeout(poll, interval);
  }
})();
