// Embed the agenda in another site: paste
//   <script src="https://SITE/static/agenda/widget.js" data-filtres="theme=…" async></script>
// and this script puts an iframe of /agenda/embed/?<filtres> in its own place. No
// third-party code, no cookies: the iframe is the whole widget.
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script) return;
  const origin = new URL(script.src).origin;
  const filters = script.dataset.filtres || "";
  const frame = document.createElement("iframe");
  frame.src = origin + "/agenda/embed/" + (filters ? "?" + filters : "");
  frame.title = script.dataset.titre || "Agenda";
  frame.width = "100%";
  frame.height = script.dataset.hauteur || "600";
  frame.loading = "lazy";
  frame.setAttribute("frameborder", "0");
  script.replaceWith(frame);
})();
