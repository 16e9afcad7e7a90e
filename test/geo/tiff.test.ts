import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { writeTiff } from '../../src/geo/tiff-write.js';

/** The GeoTIFF writer, read back by geotiff.js (the reader dsim import uses). */
describe('the GeoTIFF writer', () => {
  const w = 37;
  const h = 23;
  const f = new Float32Array(w * h).map((_, i) => (i % 11) / 4);
  const n = new Int16Array(w * h).map((_, i) => (i % 13) - 5);
  for (const layout of [{ strips: 1 }, { strips: 5 }, { tiles: 16 }])
    for (const deflate of [false, true])
      for (const values of [f, n])
        it(`${JSON.stringify(layout)}${deflate ? ', deflate' : ''}, ${values.constructor.name}: every cell of a window back, with the georeference`, async () => {
          const bytes = writeTiff(values, {
            width: w,
            height: h,
            originX: 590_000,
            originY: 4_095_000,
            cellX: 100,
            cellY: -100,
            epsg: 4548,
            nodata: -9999,
            layout,
            deflate,
          });
          const image = await (
            await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
          ).getImage();
          const window = (await image.readRasters({ window: [3, 2, 30, 20], samples: [0] }))[0] as ArrayLike<number>;
          const expected: number[] = [];
          for (let y = 2; y < 20; y++) for (let x = 3; x < 30; x++) expected.push(values[y * w + x]!);
          expect(Array.from(window)).toEqual(expected);
          expect([image.getWidth(), image.getHeight(), image.getOrigin(), image.getResolution(), image.getGDALNoData()]).toEqual([
            w,
            h,
            [590_000, 4_095_000, 0],
            [100, -100, 0],
            -9999,
          ]);
          expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 4548 });
        });
});
