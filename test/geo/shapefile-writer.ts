/** The Shapefile writer lives in src/geo/shapefile.ts (the sample county writes one). */
export { writeDbf, writeShp } from '../../src/geo/shapefile.js';
