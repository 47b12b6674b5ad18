// Passkeys (product.md §16): the one step that needs JavaScript. Each form marked data-passkey-form
// fetches its WebAuthn options, asks the browser, and posts the answer as an ordinary form field.
(function () {
  "use strict";

  var supported = !!(window.PublicKeyCredential
    && PublicKeyCredential.parseCreationOptionsFromJSON
    && PublicKeyCredential.parseRequestOptionsFromJSON
    && navigator.credentials);

  document.querySelectorAll("[data-passkey-form]").forEach(function (form) {
    var button = form.querySelector("button[data-passkey-button]");
    var unsupported = form.querySelector("[data-passkey-unsupported]");
    var message = form.querySelector("[data-passkey-message]");
    if (!supported) {
      return;
    }

    if (unsupported) {
      unsupported.hidden = true;
    }
    form.querySelectorAll("[data-passkey-button]").forEach(function (shown) {
      shown.hidden = false;
    });

    var say = function (text) {
      if (message) {
        message.textContent = text;
        message.hidden = !text;
      }
    };

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-passkey-ready") === "true") {
        return;
      }
      event.preventDefault();
      say("");
      var token = form.querySelector("input[name='__RequestVerificationToken']");
      var create = form.getAttribute("data-passkey-form") === "create";
      if (button) {
        button.disabled = true;
      }
      fetch(form.getAttribute("data-options-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "RequestVerificationToken": token ? token.value : "" }
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("options");
          }
          return response.json();
        })
        .then(function (options) {
          return create
            ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        })
        .then(function (credential) {
          form.querySelector("[data-passkey-credential]").value = JSON.stringify(credential.toJSON());
          form.setAttribute("data-passkey-ready", "true");
          form.submit();
        })
        .catch(function (error) {
          if (button) {
            button.disabled = false;
          }
          say(error && error.name === "NotAllowedError"
            ? "The passkey step was cancelled or timed out. Try again."
            : "Something went wrong with the passkey. Try again, or reload the page.");
        });
    });
  });
})();
