/* e-MJPM: draws the "Vue carte" map from the markers the server wrote in data-marqueurs (SPEC §11).
   Plain ES5 for old browsers; the table below the map holds the same facts. */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("carte");
    if (!element || !window.L || element.getAttribute("data-dessinee")) {
      return;
    }
    element.setAttribute("data-dessinee", "true");
    var fallback = document.getElementById("carte-sans-js");
    if (fallback) {
      fallback.hidden = true;
    }
    var markers = JSON.parse(element.getAttribute("data-marqueurs") || "[]");
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = element.getAttribute("data-tuiles");
    var notice = document.getElementById("carte-fond");
    if (tiles) {
      var layer = L.tileLayer(tiles, {
        attribution: element.getAttribute("data-attribution") || "",
        maxZoom: 18
      });
      layer.on("tileerror", function () {
        if (notice) {
          notice.hidden = false;
        }
      });
      layer.addTo(map);
    }
    var bounds = [];
    markers.forEach(function (marker) {
      var count = marker.lignes.length;
      var label = marker.nom + " : " + count + (count > 1 ? " mesures" : " mesure");
      var icon = L.divIcon({
        className: "map-marker " + (marker.niveau || "level-neutral"),
        html: "<span>" + count + "</span>",
        iconSize: [34, 34]
      });
      var popup = document.createElement("div");
      var title = document.createElement("p");
      title.className = "map-popup-title";
      title.textContent = label;
      popup.appendChild(title);
      var list = document.createElement("ul");
      marker.lignes.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      popup.appendChild(list);
      var placed = L.marker([marker.lat, marker.lon], { icon: icon, keyboard: true, title: label }).bindPopup(popup);
      // The marker's element exists once the map has a view: name it then.
      placed.on("add", function () {
        var node = placed.getElement();
        if (node) {
          node.setAttribute("aria-label", label);
          node.setAttribute("role", "button");
        }
      });
      placed.addTo(map);
      bounds.push([marker.lat, marker.lon]);
    });
    if (bounds.length > 0) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 12 });
    } else {
      map.setView([46.6, 2.5], 5);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
