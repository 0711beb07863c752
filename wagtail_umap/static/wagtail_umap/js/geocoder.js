/*
 * wagtail-umap: the address search's one request and its reading, shared by the public viewer
 * (viewer/search.js) and the map editor (editor/address-search.js, editor/position.js).
 *
 * The geocoder is the site's (WAGTAIL_UMAP["GEOCODER"], given in each one's configuration as
 * {url, attribution, format}): the Base Adresse Nationale / Géoplateforme answers a GeoJSON
 * FeatureCollection whose features carry `properties.label`; Nominatim ("format":
 * "nominatim", asked for jsonv2) a list of {display_name, lat, lon}. One request per search,
 * without cookies, the referrer cut to the origin.
 */
(function () {
  'use strict';

  var LIMIT = 5;

  function text(value) {
    return value === null || value === undefined ? '' : String(value);
  }

  /* [{label, lat, lng}] of an answer, at most LIMIT, the places out of range left out. */
  function parse(data) {
    var found = [];
    if (Array.isArray(data)) {
      data.forEach(function (place) {
        found.push({ label: text(place && place.display_name), lat: parseFloat(place && place.lat), lng: parseFloat(place && place.lon) });
      });
    } else if (data && Array.isArray(data.features)) {
      data.features.forEach(function (feature) {
        var coordinates = feature && feature.geometry && feature.geometry.coordinates;
        if (!Array.isArray(coordinates)) { return; }
        var properties = feature.properties || {};
        found.push({ label: text(properties.label || properties.name), lat: Number(coordinates[1]), lng: Number(coordinates[0]) });
      });
    }
    return found.filter(function (place) {
      return place.label && isFinite(place.lat) && isFinite(place.lng) && Math.abs(place.lat) <= 90 && Math.abs(place.lng) <= 180;
    }).slice(0, LIMIT);
  }

  /* The search's address. */
  function url(geocoder, query, language) {
    var params = new URLSearchParams({ q: query, limit: String(LIMIT) });
    if (geocoder.format === 'nominatim') {
      params.set('format', 'jsonv2');
      if (language) { params.set('accept-language', language); }
    }
    return geocoder.url + (geocoder.url.indexOf('?') < 0 ? '?' : '&') + params.toString();
  }

  /* A promise of the places found; rejects on a network or HTTP error (an AbortError when
   * `signal` aborted it). */
  function search(geocoder, query, options) {
    options = options || {};
    return fetch(url(geocoder, query, options.language), {
      credentials: 'omit',
      referrerPolicy: 'strict-origin-when-cross-origin',
      signal: options.signal
    }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    }).then(parse);
  }

  window.wagtailUmapGeocoder = { parse: parse, url: url, search: search, limit: LIMIT };
}());
