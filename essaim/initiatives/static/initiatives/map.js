// The map of initiatives: clusters per view from /api/v1/map/initiatives, a list kept in
// sync with the view, filters, "près de moi", territory search and choropleth layers
// (départements or EPCI).
// Without this script (or without Leaflet) the page stays a server-rendered list.
(function () {
  "use strict";

  const element = document.getElementById("map");
  if (!element || !window.L) return;
  const data = element.dataset;
  const form = document.getElementById("map-filters");
  const status = document.getElementById("map-status");
  const results = document.getElementById("map-results");
  const DEBOUNCE_MS = 150;
  const FRANCE = [[41.3, -5.2], [51.1, 9.6]];

  element.hidden = false;
  const tools = document.getElementById("map-tools");
  if (tools) tools.hidden = false;
  const pagination = document.getElementById("map-pagination");

  const map = L.map(element, { zoomSnap: 1, maxZoom: 18, minZoom: 2 });
  map.fitBounds(FRANCE);
  const tiles = L.tileLayer(data.tileUrl, {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  let tilesFailed = false;
  tiles.on("tileerror", () => {
    if (tilesFailed) return;
    tilesFailed = true;
    const notice = document.createElement("p");
    notice.className = "map-notice";
    notice.textContent = data.labelTiles;
    element.after(notice);
  });
  const markers = L.layerGroup().addTo(map);
  let filters = new URLSearchParams(data.filters || "");
  // The list's order: the server's choices plus "nearest to the map's centre", which needs
  // the map. Sent to the list API only (the clusters do not depend on it).
  const sort = form ? form.elements.tri : null;
  if (sort) {
    sort.append(new Option(sort.dataset.labelDistance, "distance"));
    if (new URLSearchParams(location.search).get("tri") === "distance") sort.value = "distance";
  }
  let viewController = null;
  let listController = null;
  let timer = null;

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function viewParams() {
    const b = map.getBounds();
    const params = new URLSearchParams(filters);
    const west = clamp(b.getWest(), -180, 180);
    const east = clamp(b.getEast(), -180, 180);
    const south = clamp(b.getSouth(), -85, 85);
    const north = clamp(b.getNorth(), -85, 85);
    params.set("bbox", [west, south, east, north].map((v) => v.toFixed(5)).join(","));
    params.set("zoom", String(Math.round(map.getZoom())));
    return params;
  }

  async function fetchJson(url, controller) {
    try {
      const response = await fetch(url, { signal: controller.signal });
      return response.ok ? await response.json() : null;
    } catch (error) {
      if (error.name === "AbortError") return null;
      throw error;
    }
  }

  function clusterMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const count = feature.properties.count;
    const size = count < 100 ? "s" : count < 10000 ? "m" : "l";
    const pixels = { s: 32, m: 42, l: 54 }[size];
    const label = count.toLocaleString("fr-FR");
    const icon = L.divIcon({
      className: "map-cluster map-cluster--" + size,
      html: "<span>" + label + "</span>",
      iconSize: [pixels, pixels],
    });
    const marker = L.marker([lat, lon], { icon, title: label + " " + data.labelClusters, alt: label });
    marker.on("click", () => map.setView([lat, lon], feature.properties.expansion_zoom));
    return marker;
  }

  function popupContent(properties) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    box.append(link);
    if (properties.themes.length) {
      const themes = document.createElement("p");
      themes.className = "map-popup-themes";
      themes.textContent = properties.themes.join(", ");
      box.append(themes);
    }
    return box;
  }

  function pointMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const icon = L.divIcon({ className: "map-point", iconSize: [16, 16] });
    const marker = L.marker([lat, lon], { icon, title: feature.properties.name, alt: feature.properties.name });
    marker.bindPopup(() => popupContent(feature.properties));
    return marker;
  }

  function draw(collection) {
    markers.clearLayers();
    collection.features.forEach((feature) => {
      markers.addLayer(feature.properties.cluster ? clusterMarker(feature) : pointMarker(feature));
    });
    element.dataset.loaded = String(collection.features.length);
  }

  function listItem(item) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    li.append(link);
    if (item.commune) li.append(" ", Object.assign(document.createElement("span"), { className: "commune", textContent: "— " + item.commune }));
    if (item.distance_km !== undefined) li.append(" ", Object.assign(document.createElement("span"), { className: "distance", textContent: "(" + item.distance_km.toLocaleString("fr-FR") + " km)" }));
    if (item.themes.length) li.append(Object.assign(document.createElement("span"), { className: "themes", textContent: item.themes.join(", ") }));
    return li;
  }

  function showList(payload) {
    if (!results) return;
    results.replaceChildren(...payload.results.map(listItem));
    if (pagination) pagination.hidden = true;
    const count = payload.count_capped ? "plus de 1 000" : payload.count.toLocaleString("fr-FR");
    status.textContent = payload.count === 1 ? "1 initiative dans cette zone" : count + " initiatives dans cette zone";
  }

  async function refresh() {
    const params = viewParams();
    if (viewController) viewController.abort();
    if (listController) listController.abort();
    viewController = new AbortController();
    listController = new AbortController();
    const view = fetchJson(data.apiUrl + "?" + params, viewController);
    const listParams = new URLSearchParams(params);
    listParams.set("tri", sort ? sort.value : "nom");
    const list = status && results ? fetchJson(data.listUrl + "?" + listParams, listController) : null;
    const collection = await view;
    if (collection) draw(collection);
    if (list) {
      const payload = await list;
      if (payload) showList(payload);
    } else if (collection && status) {
      const total = collection.features.reduce((sum, f) => sum + (f.properties.count || 1), 0);
      status.textContent = total.toLocaleString("fr-FR") + " initiatives dans cette zone";
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  async function flyToTerritory(key) {
    const controller = new AbortController();
    const place = await fetchJson(data.territoryUrl + "?territoire=" + encodeURIComponent(key), controller);
    if (!place || place.bbox.includes(null)) return false;
    const [w, s, e, n] = place.bbox;
    map.fitBounds([[s, w], [n, e]], { maxZoom: 13 });
    return place;
  }

  function rememberQuery() {
    const query = new URLSearchParams(filters);
    if (sort && sort.value !== "recent") query.set("tri", sort.value);
    history.replaceState(null, "", "?" + query.toString());
  }

  if (sort) {
    sort.addEventListener("change", () => {
      rememberQuery();
      schedule();
    });
  }

  function updateEmbed() {
    const code = document.getElementById("map-embed-code");
    if (!code) return;
    const query = filters.toString();
    const src = code.dataset.embedUrl + (query ? "?" + query : "");
    code.value = code.value.replace(/src="[^"]*"/, 'src="' + src.replace(/&/g, "&amp;") + '"');
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      const theme = form.elements.theme.value;
      const q = form.elements.q.value.trim();
      const territoryText = form.elements.territoire.value.trim();
      if (theme) next.set("theme", theme);
      if (q) next.set("q", q);
      if (territoryText) {
        const place = await flyToTerritory(territoryText);
        if (!place) return form.submit(); // let the server explain what went wrong
        next.set("territoire", place.key);
      }
      filters = next;
      rememberQuery();
      updateEmbed();
      schedule();
    });
  }

  const nearMe = document.getElementById("map-near-me");
  if (nearMe && navigator.geolocation) {
    nearMe.addEventListener("click", () => {
      navigator.geolocation.getCurrentPosition(
        (position) => {
          if (sort) sort.value = "distance"; // "près de moi": the nearest first
          rememberQuery();
          map.setView([position.coords.latitude, position.coords.longitude], 13);
          schedule(); // also when the view was already there (no "moveend")
        },
        () => { if (status) status.textContent = "Position indisponible."; },
        { timeout: 10000 }
      );
    });
  } else if (nearMe) {
    nearMe.hidden = true;
  }

  // Choropleth: one layer per level (départements, EPCI), fetched once, with a legend of
  // its class breaks and a link to the table holding the same figures.
  const choice = document.getElementById("map-choropleth");
  const legend = document.getElementById("map-legend");
  const layers = {};
  let shown = null;

  function shadeClass(count, breaks) {
    if (!count) return 0;
    const index = breaks.findIndex((bound) => count <= bound);
    return index === -1 ? breaks.length : index + 1;
  }

  function classLabel(low, high) {
    const labels = legend.dataset;
    if (high === 1) return labels.labelOne;
    const text = low === high ? labels.labelExact : labels.labelRange;
    return text.replace("{low}", low.toLocaleString("fr-FR")).replace("{high}", high.toLocaleString("fr-FR"));
  }

  function legendItem(level, text) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "map-legend-swatch map-choropleth-" + level;
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, text);
    return item;
  }

  function showLegend(input, breaks) {
    const items = [legendItem(0, legend.dataset.labelNone)];
    breaks.forEach((high, index) => items.push(legendItem(index + 1, classLabel(index ? breaks[index - 1] + 1 : 1, high))));
    document.getElementById("map-legend-title").textContent = input.dataset.legend;
    document.getElementById("map-legend-classes").replaceChildren(...items);
    document.getElementById("map-legend-table").href = "#" + input.dataset.table;
    legend.hidden = false;
  }

  async function choroplethLayer(input) {
    if (!layers[input.value]) {
      const contours = await fetchJson(input.dataset.url, new AbortController());
      if (!contours) return null;
      const breaks = contours.breaks || [];
      layers[input.value] = {
        breaks,
        layer: L.geoJSON(contours, {
          style: (feature) => ({
            className: "map-choropleth-" + shadeClass(feature.properties.count, breaks),
            weight: 1, color: "#44505c", fillOpacity: 0.6,
          }),
          onEachFeature: (feature, layer) =>
            layer.bindTooltip(feature.properties.name + " : " + feature.properties.count.toLocaleString("fr-FR")),
        }),
      };
    }
    return layers[input.value];
  }

  if (choice && legend) {
    choice.addEventListener("change", async (event) => {
      const input = event.target;
      if (shown) map.removeLayer(shown.layer);
      shown = null;
      legend.hidden = true;
      if (!input.value) return;
      const chosen = await choroplethLayer(input);
      if (!chosen || !input.checked) return; // another level was chosen meanwhile
      shown = chosen;
      chosen.layer.addTo(map);
      chosen.layer.bringToBack();
      showLegend(input, chosen.breaks);
    });
    document.getElementById("map-legend-table").addEventListener("click", (event) => {
      const table = document.querySelector(event.currentTarget.getAttribute("href"));
      if (table) table.open = true; // a fragment does not open a closed <details>
    });
  }

  map.on("moveend", schedule);
  if (data.territory) {
    flyToTerritory(data.territory).then((place) => { if (!place) refresh(); });
  } else {
    refresh();
  }
})();
