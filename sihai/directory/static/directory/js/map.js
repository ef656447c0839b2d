/* Draws the markers of a [data-map] element with Leaflet, when Leaflet loaded.
   Without Leaflet or JavaScript the element stays hidden and the list or table beside it
   carries the same information. Tiles come from the page (a setting); with none, the
   markers are drawn on a blank background. */
(function () {
  "use strict";
  function draw(element) {
    if (typeof window.L === "undefined") { return; }
    var data = JSON.parse(document.getElementById(element.dataset.map).textContent);
    var markers = data.markers || [];
    if (!markers.length) { return; }
    element.hidden = false;
    var map = window.L.map(element, { zoomControl: true, attributionControl: !!data.tiles });
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var bounds = [];
    markers.forEach(function (m) {
      var colour = m.covered === false || m.open === false ? "#a4161a" : "#0b5394";
      if (m.both) { colour = "#1e6b2f"; }
      var marker = window.L.circleMarker([m.lat, m.lon], {
        radius: data.small ? 4 : 8, color: colour, fillColor: colour, fillOpacity: 0.7, weight: 1
      }).addTo(map);
      var label = document.createElement("span");
      if (m.url) {
        var link = document.createElement("a");
        link.href = m.url; link.textContent = m.name; label.appendChild(link);
      } else {
        label.textContent = m.name + (m.minutes !== undefined && m.minutes !== null ? " · " + m.minutes + " min" : "");
      }
      marker.bindPopup(label);
      bounds.push([m.lat, m.lon]);
    });
    if (data.origin) {
      window.L.circleMarker([data.origin.lat, data.origin.lon], { radius: 6, color: "#1b1b1b" }).addTo(map);
      bounds.push([data.origin.lat, data.origin.lon]);
    }
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  }
  function start() { document.querySelectorAll("[data-map]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
