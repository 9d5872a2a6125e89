// The partners of a directory page on a map, over the list that holds the
// same information: drawn only when Leaflet loaded and the site names a tile
// server (the container stays hidden otherwise).
(function () {
  "use strict";
  var container = document.getElementById("partner-map");
  var data = document.getElementById("partner-map-data");
  if (!container || !data || !window.L) {
    return;
  }
  var map_data = JSON.parse(data.textContent);
  var markers = map_data.markers;
  if (!markers.length) {
    return;
  }
  container.hidden = false;
  var map = window.L.map(container, { scrollWheelZoom: false, zoomControl: false });
  window.L.control
    .zoom({ zoomInTitle: map_data.zoom_in, zoomOutTitle: map_data.zoom_out })
    .addTo(map);
  window.L.tileLayer(map_data.tiles, {
    attribution: map_data.attribution,
    maxZoom: 18,
  }).addTo(map);
  var bounds = [];
  markers.forEach(function (marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    var place = document.createElement("p");
    place.textContent = marker.place;
    popup.appendChild(place);
    window.L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name })
      .bindPopup(popup)
      .addTo(map);
    bounds.push([marker.lat, marker.lng]);
  });
  // Room above for the pins, which stand over their places.
  map.fitBounds(bounds, { paddingTopLeft: [24, 48], paddingBottomRight: [24, 16], maxZoom: 14 });
})();
