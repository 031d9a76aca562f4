// Optional map pin on the initiative form: people place or drag a marker, and the hidden
// latitude/longitude inputs follow. Without JavaScript (or tiles) the form still works:
// the server places the initiative at its commune's point.
(function () {
  "use strict";

  const REGION_CENTRE = [47.5, 1.7];

  function enhance(box) {
    const form = box.closest("form");
    const lat = form.querySelector("input[name=latitude]");
    const lon = form.querySelector("input[name=longitude]");
    if (!window.L || !lat || !lon) return;
    box.hidden = false;
    const placed = lat.value && lon.value;
    const start = placed ? [parseFloat(lat.value), parseFloat(lon.value)] : REGION_CENTRE;
    const map = L.map(box.querySelector(".pin-map-canvas")).setView(start, placed ? 15 : 7);
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
    let marker = null;

    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: box.dataset.markerTitle || "" });
        marker.on("dragend", () => place(marker.getLatLng()));
        marker.addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
    }

    if (placed) place(L.latLng(start[0], start[1]));
    map.on("click", (event) => place(event.latlng));
  }

  document.querySelectorAll("[data-pin-map]").forEach(enhance);
})();
