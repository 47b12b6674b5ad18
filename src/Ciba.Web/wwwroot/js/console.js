// Progressive enhancement for the console; every page works without it.
(function () {
  "use strict";

  // Protocol tab: show the CIBA settings only while the CIBA grant type is ticked.
  var toggle = document.getElementById("grant-ciba");
  var settings = document.querySelector("[data-ciba-settings]");
  if (toggle && settings) {
    var sync = function () { settings.hidden = !toggle.checked; };
    toggle.addEventListener("change", sync);
    sync();
  }

  // One-time secret: select it on focus so it is easy to copy.
  var secret = document.querySelector("[data-client-secret]");
  if (secret) {
    secret.addEventListener("focus", function () { secret.select(); });
  }
})();
