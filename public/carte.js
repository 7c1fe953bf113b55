/* e-MJPM: draws a "Vue carte" map from the layers of markers the server wrote in #carte-couches, or that it
   serves at the map's data-couches address (SPEC §11): one unnamed layer (the mandataire's map) or named
   layers with a control (the magistrat's map, whose hundreds of markers are not in the page, issue 20).
   Plain ES5 for old browsers; the tables below the map hold the same facts. */
(function () {
  "use strict";
  function plural(count) {
    return count + (count > 1 ? " mesures" : " mesure");
  }
  /* One marker: "texte" in the icon (default: the number of lines), "label" as its accessible name,
     a popup with "titre", the "lignes" and an optional "lien" {href, texte}; "niveau" is its colour class. */
  function markerOf(marker, shift) {
    var lines = marker.lignes || [];
    var title = marker.titre || (marker.nom + " : " + plural(lines.length));
    var label = marker.label || title;
    var icon = L.divIcon({
      className: "map-marker " + (marker.niveau || "level-neutral"),
      html: "<span>" + String(marker.texte !== undefined ? marker.texte : lines.length)
        .replace(/[&<>"]/g, "") + "</span>",
      iconSize: [34, 34]
    });
    var popup = document.createElement("div");
    var heading = document.createElement("p");
    heading.className = "map-popup-title";
    heading.textContent = title;
    popup.appendChild(heading);
    if (lines.length > 0) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      popup.appendChild(list);
    }
    if (marker.lien) {
      var link = document.createElement("a");
      link.href = marker.lien.href;
      link.textContent = marker.lien.texte;
      popup.appendChild(link);
    }
    var placed = L.marker([marker.lat, marker.lon + shift], { icon: icon, keyboard: true, title: label })
      .bindPopup(popup);
    // The marker's element exists once the map has a view: name it then.
    placed.on("add", function () {
      var node = placed.getElement();
      if (node) {
        node.setAttribute("aria-label", label);
        node.setAttribute("role", "button");
      }
    });
    return placed;
  }
  /* The markers of each kind of layer, in the generic form of markerOf. */
  var readers = {
    /* The mandataire's own map: {nom, lat, lon, lignes}. */
    lignes: function (m) {
      return m;
    },
    /* [lat, lon, id, disponibilité, colour class, name, type, en cours, souhaitées] */
    mandataires: function (m) {
      return {
        lat: m[0], lon: m[1], texte: m[3], niveau: m[4], titre: m[5],
        label: m[5] + " : disponibilité " + m[3],
        lignes: [m[6], "Disponibilité : " + m[3], "En cours / souhaitées : " + m[7] + " / " + m[8]],
        lien: { href: "/magistrat/mandataires/" + m[2], texte: "Voir la fiche" }
      };
    },
    /* [lat, lon, mesures en cours, commune, INSEE]: the link lists the mandataires holding them, the
       layer's "lien" + "&commune=<INSEE>", as the commune's row in the table. */
    communes: function (m, layer) {
      var title = m[3] + " : " + m[2] + (m[2] > 1 ? " mesures en cours" : " mesure en cours");
      var href = layer.lien && m[4] ? layer.lien + "&commune=" + encodeURIComponent(m[4]) + "#mandataires-commune" : "";
      return {
        lat: m[0], lon: m[1], texte: m[2], titre: title, label: title, lignes: [],
        lien: href ? { href: href, texte: "Voir les mandataires ayant des mesures ici" } : undefined
      };
    }
  };
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
    var source = element.getAttribute("data-couches");
    if (!source) {
      var data = document.getElementById("carte-couches");
      draw(element, data ? JSON.parse(data.textContent || "[]") : []);
      return;
    }
    // XMLHttpRequest rather than fetch: old browsers.
    var request = new XMLHttpRequest();
    request.open("GET", source);
    request.onload = function () {
      var layers = null;
      if (request.status === 200) {
        try {
          layers = JSON.parse(request.responseText);
        } catch (ignored) {
          layers = null;
        }
      }
      if (layers) {
        draw(element, layers);
      } else {
        failed();
      }
    };
    request.onerror = failed;
    request.send();
  }
  function failed() {
    var notice = document.getElementById("carte-erreur");
    if (notice) {
      notice.hidden = false;
    }
  }
  function draw(element, layers) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = element.getAttribute("data-tuiles");
    var notice = document.getElementById("carte-fond");
    if (tiles) {
      var background = L.tileLayer(tiles, {
        attribution: element.getAttribute("data-attribution") || "",
        maxZoom: 18
      });
      background.on("tileerror", function () {
        if (notice) {
          notice.hidden = false;
        }
      });
      background.addTo(map);
    }
    var bounds = [];
    var overlays = {};
    layers.forEach(function (layer) {
      var group = L.layerGroup();
      // Markers at the same place (mandataires of one commune) are set side by side, not on top.
      var taken = {};
      var read = readers[layer.type] || readers.lignes;
      layer.marqueurs.forEach(function (raw) {
        var marker = read(raw, layer);
        var key = marker.lat + "," + marker.lon;
        var rank = taken[key] || 0;
        taken[key] = rank + 1;
        group.addLayer(markerOf(marker, rank * 0.004));
        bounds.push([marker.lat, marker.lon]);
      });
      group.addTo(map);
      if (layer.nom) {
        overlays[layer.nom] = group;
      }
    });
    if (layers.length > 1) {
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    }
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
