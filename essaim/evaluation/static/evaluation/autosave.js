// Autosave of a respondent's answers: each criterion's fieldset posts its fields when one
// of them changes. Without JavaScript the page's own submit button saves everything.
(function () {
  "use strict";
  const form = document.querySelector(".answer-form");
  if (!form) return;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.querySelector("[data-autosave-status]");
  const bar = document.querySelector("[data-progress]");
  const text = document.querySelector("[data-progress-text]");

  async function save(fieldset) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    for (const field of fieldset.querySelectorAll("input, textarea, select")) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      body.append(field.name, field.value);
    }
    try {
      const response = await fetch(fieldset.dataset.autosaveUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" },
      });
      const data = await response.json();
      if (!response.ok) {
        status.textContent = "Réponse non enregistrée : vérifiez le critère « " +
          fieldset.querySelector("legend").textContent + " ».";
        return;
      }
      bar.value = data.answered;
      bar.max = data.total;
      bar.textContent = data.answered + "/" + data.total;
      text.textContent = data.answered + " critères renseignés sur " + data.total;
      status.textContent = "Réponse enregistrée.";
    } catch (error) {
      status.textContent = "Enregistrement automatique impossible : utilisez le bouton en bas de page.";
    }
  }

  // One save at a time, in the order of the changes: two requests in flight could be
  // answered out of order, and the older count of answers would overwrite the newer.
  let queue = Promise.resolve();
  for (const fieldset of form.querySelectorAll("fieldset[data-autosave-url]")) {
    fieldset.addEventListener("change", () => { queue = queue.then(() => save(fieldset)); });
  }
})();
