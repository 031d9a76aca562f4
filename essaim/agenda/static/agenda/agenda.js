// "Près de moi" on the agenda's filters: asks the browser for the position, then submits
// the form with lat/lon instead of a commune. Without JavaScript or permission, people
// type a commune in "Près de".
(function () {
  "use strict";

  const form = document.getElementById("agenda-filters");
  const button = document.getElementById("agenda-near-me");
  if (!form || !button || !("geolocation" in navigator)) return;
  const status = document.getElementById("agenda-near-status");
  button.hidden = false;

  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const lat = form.querySelector("input[name=lat]");
        const lon = form.querySelector("input[name=lon]");
        lat.disabled = lon.disabled = false;
        lat.value = position.coords.latitude.toFixed(4);
        lon.value = position.coords.longitude.toFixed(4);
        form.querySelector("input[name=pres]").value = "";
        form.submit();
      },
      () => {
        button.disabled = false;
        status.textContent = button.dataset.error;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
