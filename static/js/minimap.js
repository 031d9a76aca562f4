// A small static map on an initiative's page. Progressive: the page says everything in
// text; if Leaflet or the tiles are missing, the box simply stays empty and hidden.
(function () {
  "use strict";

  function show(box) {
    if (!window.L) return;
    const point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    box.classList.add("is-ready");
    const map = L.map(box, {
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false,
      keyboard: false, touchZoom: false, zoomControl: false,
    }).setView(point, 15);
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
    L.marker(point, { keyboard: false, alt: box.dataset.label }).addTo(map);
  }

  document.querySelectorAll("[data-minimap]").forEach(show);
})();
