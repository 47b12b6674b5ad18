// Progressive enhancement shared by every page; each page works without it.
(function () {
  "use strict";

  // GOV.UK error summary: take focus so that screen readers and keyboards start at the errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Time left (consent and sign-in pages): count down from the server's figure with the page's
  // own monotonic clock (the phone's wall clock may be wrong), then show the expired page in place.
  var countdown = document.querySelector("[data-countdown-seconds]");
  if (countdown) {
    var total = parseInt(countdown.getAttribute("data-countdown-seconds"), 10);
    var started = window.performance.now();
    var text = countdown.querySelector("[data-countdown-text]") || countdown;
    var plural = function (count, unit) { return count + " " + unit + (count === 1 ? "" : "s"); };
    var describe = function (seconds) {
      var hours = Math.floor(seconds / 3600), minutes = Math.floor(seconds % 3600 / 60), rest = seconds % 60;
      var parts = hours > 0
        ? [hours ? plural(hours, "hour") : "", minutes ? plural(minutes, "minute") : ""]
        : [minutes ? plural(minutes, "minute") : "", rest ? plural(rest, "second") : ""];
      return "Expires in " + parts.filter(function (p) { return p; }).join(" ");
    };
    var expire = function () {
      var expired = document.getElementById("expired-page");
      var main = document.getElementById("main");
      if (expired && main) {
        main.replaceChildren(expired.content.cloneNode(true));
        document.title = expired.getAttribute("data-title") || document.title;
        var heading = main.querySelector("h1");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
    };
    var tick = function () {
      var left = Math.ceil(total - (window.performance.now() - started) / 1000);
      if (left <= 0) {
        expire();
        return;
      }
      text.textContent = describe(left);
      window.setTimeout(tick, 1000 - ((window.performance.now() - started) % 1000));
    };
    if (total > 0) {
      tick();
    } else {
      expire();
    }
  }

  // Copy buttons: copy the value of the field named by data-copy and say so.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
      if (!field || !navigator.clipboard) {
        return;
      }
      navigator.clipboard.writeText(field.value || field.textContent).then(function () {
        if (status) {
          status.textContent = "Copied.";
        }
      });
    });
  });
})();
