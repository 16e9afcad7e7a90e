/** The GBK encoder lives in src/geo/text.ts (the sample county writes GBK files too). */
export { encodeGbk } from '../../src/geo/text.js';
