// Entry of the vector-tile bundle that scripts/vendor-js builds with esbuild: the MVT decoder
// (@mapbox/vector-tile over pbf) as one classic script for the tiling worker (importScripts),
// which cannot load ES modules with bare specifiers.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

self.WagtailUmapMVT = { VectorTile: VectorTile, Pbf: PbfReader };
