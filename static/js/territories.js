// Territory autocomplete: fills the <datalist> of every input carrying
// data-autocomplete-url with suggestions as people type. Without JavaScript the form
// still works: it submits to /territoires/aller/, which redirects or lists choices.
(function () {
  "use strict";

  const DELAY_MS = 200;

  function fill(datalist, results) {
    datalist.replaceChildren(
      ...results.map((item) => {
        const option = document.createElement("option");
        option.value = item.label;
        return option;
      })
    );
  }

  function enhance(input) {
    const datalist = input.list;
    if (!datalist) return;
    let timer = null;
    let controller = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const query = input.value.trim();
      if (query.length < 2) return fill(datalist, []);
      timer = setTimeout(async () => {
        if (controller) controller.abort();
        controller = new AbortController();
        const url = new URL(input.dataset.autocompleteUrl, window.location.href);
        url.searchParams.set("q", query);
        try {
          const response = await fetch(url, { signal: controller.signal });
          if (response.ok) fill(datalist, (await response.json()).results);
        } catch (error) {
          if (error.name !== "AbortError") throw error;
        }
      }, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
})();
