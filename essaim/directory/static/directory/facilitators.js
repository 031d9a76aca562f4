// The map of who covers where, on /annuaire/animateurs/. Progressive: the table below says
// everything; without Leaflet or tiles the box stays hidden.
(function () {
  "use strict";

  function show(box) {
    const data = document.getElementById("facilitator-points");
    if (!window.L || !data) return;
    const points = JSON.parse(data.textContent);
    if (!points.length) return;
    box.classList.add("is-ready");
    const map = L.map(box, { scrollWheelZoom: false, keyboard: false });
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 18,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
    const bounds = [];
    points.forEach(function (point) {
      const latlng = [point.lat, point.lon];
      bounds.push(latlng);
      L.circleMarker(latlng, { radius: 10, interactive: true })
        .bindTooltip(point.label)
        .addTo(map);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
  }

  document.querySelectorAll("[data-facilitator-map]").forEach(show);
})();
