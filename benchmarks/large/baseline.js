(function () {
  var body = document.body;
  var urls = JSON.parse(body.getAttribute('data-urls'));
  var mode = body.getAttribute('data-mode');
  var bounds = JSON.parse(body.getAttribute('data-bounds'));
  var map = window.benchMap = L.map('map');
  map.fitBounds(bounds, {padding: [24, 24], maxZoom: 16, animate: false});
  L.tileLayer(body.getAttribute('data-tiles'), {maxZoom: 19}).addTo(map);
  window.__bench = {first: null, ready: null};
  function twoFrames() { return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); }); }
  Promise.all(urls.map(function (url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data);
      if (mode === 'markercluster') { var group = L.markerClusterGroup(); group.addLayer(layer); layer = group; }
      layer.addTo(map);
      if (!window.__bench.firstSeen) {
        window.__bench.firstSeen = true;
        twoFrames().then(function () { window.__bench.first = performance.now(); });
      }
    });
  })).then(twoFrames).then(function () { window.__bench.ready = performance.now(); });
}());
