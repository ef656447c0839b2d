/* "Use my location": asks the browser for the position and POSTs it with the chosen need.
   The position goes in the body of one request (never in a URL) and is not kept. */
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("nearby-form");
    if (!form || !("geolocation" in navigator)) { return; }
    var button = form.querySelector("button");
    var status = document.getElementById("nearby-status");
    form.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var need = document.getElementById("id_need");
      var openNow = document.getElementById("id_open_now");
      form.querySelector("[name=need]").value = need ? need.value : "";
      form.querySelector("[name=open_now]").value = openNow && openNow.checked ? "on" : "";
      status.textContent = status.dataset.asking;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
        form.submit();
      }, function () {
        status.textContent = status.dataset.denied;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
