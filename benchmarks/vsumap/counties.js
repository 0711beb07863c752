// us-atlas's counties (TopoJSON) to a GeoJSON FeatureCollection, with topojson-client.
// node counties.js <topojson-client.js> <counties-10m.json> <out.geojson>
const fs = require('fs');
const topojson = require(process.argv[2]);
const topology = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const collection = topojson.feature(topology, topology.objects.counties);
collection.features = collection.features
  .filter((feature) => feature.geometry)
  .map((feature) => ({
    type: 'Feature',
    geometry: feature.geometry,
    properties: {name: feature.properties.name, fips: String(feature.id)},
  }));
fs.writeFileSync(process.argv[4], JSON.stringify(collection));
console.log(collection.features.length);
