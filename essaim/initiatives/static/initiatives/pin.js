// Optional map pin on the initiative form: people place or drag a marker, and the hidden
// latitude/longitude inputs follow. Keyboard: a button places the pin at the map's centre,
// arrow keys move the focused pin (10 px a press, 1 px with Shift), and a polite live
// region announces every new position. Without JavaScript (or tiles) the form still works:
// the server places the initiative at its commune's point.
(function () {
  "use strict";

  const REGION_CENTRE = [47.5, 1.7];
  const ARROWS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  const FRENCH = { minimumFractionDigits: 5, maximumFractionDigits: 5 };

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
    const live = box.querySelector(".pin-position");

    function announce(latlng) {
      live.textContent = box.dataset.labelPosition
        .replace("{lat}", latlng.lat.toLocaleString("fr-FR", FRENCH))
        .replace("{lon}", latlng.lng.toLocaleString("fr-FR", FRENCH));
    }

    function nudge(event) {
      const arrow = ARROWS[event.key];
      if (!arrow || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault(); // neither scroll the page nor pan the map
      event.stopPropagation();
      const pixels = event.shiftKey ? 1 : 10;
      const point = map.latLngToContainerPoint(marker.getLatLng()).add([arrow[0] * pixels, arrow[1] * pixels]);
      const latlng = map.containerPointToLatLng(point);
      place(latlng);
      map.panInside(latlng, { padding: [24, 24] });
    }

    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (!marker) {
        const title = box.dataset.markerTitle || "";
        marker = L.marker(latlng, { draggable: true, title, alt: title });
        marker.on("dragend", () => place(marker.getLatLng()));
        marker.addTo(map);
        marker.getElement().addEventListener("keydown", nudge);
      } else {
        marker.setLatLng(latlng);
      }
      announce(latlng);
    }

    if (placed) place(L.latLng(start[0], start[1]));
    map.on("click", (event) => place(event.latlng));
    box.querySelector(".pin-place").addEventListener("click", () => {
      place(map.getCenter());
      marker.getElement().focus();
    });
  }

  document.querySelectorAll("[data-pin-map]").forEach(enhance);
})();
