// The agenda's map view: one marker per place of the listed occurrences (the server bounds
// them). The list under the map says the same for keyboard and screen-reader users.
(function () {
  "use strict";

  const box = document.getElementById("agenda-map");
  const data = document.getElementById("agenda-places");
  if (!box || !data || !window.L) return;
  const places = JSON.parse(data.textContent);
  box.hidden = false;
  const map = L.map(box).setView([47.5, 1.7], 7);
  const tiles = L.tileLayer(box.dataset.tileUrl, {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  tiles.once("tileerror", () => {
    const notice = document.createElement("p");
    notice.className = "map-notice";
    notice.textContent = box.dataset.labelTiles;
    box.after(notice);
  });

  const bounds = [];
  places.forEach((place) => {
    const point = [place.lat, place.lon];
    bounds.push(point);
    const popup = document.createElement("div");
    const link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.title;
    const when = document.createElement("p");
    when.textContent = [place.when, place.place].filter(Boolean).join(" — ");
    popup.append(link, when);
    L.marker(point, { title: place.title, alt: place.title }).bindPopup(popup).addTo(map);
  });
  if (bounds.length) map.fitBounds(bounds, { maxZoom: 13, padding: [20, 20] });
})();
