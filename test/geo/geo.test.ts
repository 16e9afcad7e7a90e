import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg, crsFromWkt, crsNamed, fromLonLat, GCJ02, guessCrs, localPlane, toLonLat, WGS84 } from '../../src/geo/crs.js';
import { CsrGraph, pathTo } from '../../src/geo/graph.js';
import { type Area, area, centroid, distanceToEdge, inArea, pointInside } from '../../src/geo/polygon.js';
import { csvRecords, decode, encodingNamed } from '../../src/geo/text.js';
import { ZoneScan } from '../../src/geo/zonal.js';
import { encodeGbk } from './gbk.js';

const square = (x0: number, y0: number, s: number): Area => [
  [
    [
      [x0, y0],
      [x0 + s, y0],
      [x0 + s, y0 + s],
      [x0, y0 + s],
    ],
  ],
];

describe('polygons', () => {
  const holed: Area = [[square(0, 0, 4)[0]![0]!, square(1, 1, 2)[0]![0]!]];
  it('area subtracts holes; the centroid of an L is the area-weighted mean of its squares', () => {
    expect(area(holed)).toBe(12);
    // L = [0,2]x[0,1] ∪ [0,1]x[1,2]: areas 2 and 1, centroids (1, .5) and (.5, 1.5) → (5/6, 5/6).
    const L: Area = [
      [
        [
          [0, 0],
          [2, 0],
          [2, 1],
          [1, 1],
          [1, 2],
          [0, 2],
        ],
      ],
    ];
    expect(area(L)).toBe(3);
    const [cx, cy] = centroid(L);
    expect(cx).toBeCloseTo(5 / 6, 12);
    expect(cy).toBeCloseTo(5 / 6, 12);
  });
  it('a point in the hole is outside; a ring-shaped zone still has a point inside it', () => {
    expect(inArea(holed, 2, 2)).toBe(false);
    expect(inArea(holed, 0.5, 2)).toBe(true);
    const [x, y] = pointInside(holed);
    expect(inArea(holed, x, y)).toBe(true);
    expect(distanceToEdge(holed, x, y)).toBeGreaterThan(0);
  });
  it('a point on a shared edge belongs to exactly one of the two zones', () => {
    const a = square(0, 0, 1);
    const b = square(1, 0, 1);
    for (const y of [0, 0.25, 0.5, 0.999]) expect(Number(inArea(a, 1, y)) + Number(inArea(b, 1, y))).toBe(1);
  });
});

describe('the scanline rasteriser', () => {
  // 4 × 3 cells of 1 × 1, north-up, top-left corner at (0, 3): centres x = .5..3.5, y = 2.5, 1.5, .5.
  const grid = { width: 4, height: 3, originX: 0, originY: 3, cellX: 1, cellY: -1 };
  it('gives the cells whose centres lie inside, by hand', () => {
    // West zone: x in [0, 2) whole height; east zone: the triangle (2,0) (4,0) (4,3).
    const west = square(0, 0, 2);
    const westTall: Area = [
      [
        [
          [0, 0],
          [2, 0],
          [2, 3],
          [0, 3],
        ],
      ],
    ];
    const triangle: Area = [
      [
        [
          [2, 0],
          [4, 0],
          [4, 3],
        ],
      ],
    ];
    const scan = new ZoneScan(grid, [westTall, triangle]);
    // Row 0 (y 2.5): triangle spans x ≥ 2 + 2.5·2/3 = 3.67 → centre 3.5 out. Row 1 (y 1.5): x ≥ 3 → centre 3.5.
    // Row 2 (y .5): x ≥ 2.33 → centres 2.5 and 3.5.
    expect(scan.row(0)).toEqual([{ zone: 0, from: 0, to: 2 }]);
    expect(scan.row(1)).toEqual([
      { zone: 0, from: 0, to: 2 },
      { zone: 1, from: 3, to: 4 },
    ]);
    expect(scan.row(2)).toEqual([
      { zone: 0, from: 0, to: 2 },
      { zone: 1, from: 2, to: 4 },
    ]);
    // A zone whose edge runs through cell centres (x = 0.5): the centre on the west edge is in.
    expect(new ZoneScan(grid, [square(0.5, 0, 2)]).row(2)).toEqual([{ zone: 0, from: 0, to: 2 }].map((r) => ({ ...r, from: 0, to: 2 })));
    expect(new ZoneScan(grid, [west]).overlapCells).toBe(0);
  });
  it('overlapping zones: the first keeps the cell and the overlap is counted', () => {
    const scan = new ZoneScan(grid, [square(0, 0, 3), square(2, 0, 2)]);
    expect(scan.row(2)).toEqual([
      { zone: 0, from: 0, to: 3 },
      { zone: 1, from: 3, to: 4 },
    ]);
    expect(scan.overlapCells).toBe(1);
  });
  it('agrees with point-in-polygon on random polygons and cell centres', () => {
    const coord = fc.integer({ min: 0, max: 40 }).map((v) => v / 4 + 0.01);
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 9 }), (pts) => {
        const a: Area = [[pts.map(([x, y]) => [x, y] as const)]];
        const g = { width: 12, height: 12, originX: 0, originY: 11, cellX: 1, cellY: -1 };
        const scan = new ZoneScan(g, [a]);
        for (let r = 0; r < g.height; r++) {
          const inside = new Set<number>();
          for (const run of scan.row(r)) for (let c = run.from; c < run.to; c++) inside.add(c);
          for (let c = 0; c < g.width; c++) {
            expect(inside.has(c)).toBe(inArea(a, c + 0.5, 11 - (r + 0.5)));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('shortest paths on the CSR graph', () => {
  // 0→1 (5 min, 4 km), 0→2 (2, 1), 2→1 (2, 3), 1→3 (1, 1), 2→3 (7, 6); 4 is cut off.
  const g = new CsrGraph(5, [
    { from: 0, to: 1, cost: 5, length: 4 },
    { from: 0, to: 2, cost: 2, length: 1 },
    { from: 2, to: 1, cost: 2, length: 3 },
    { from: 1, to: 3, cost: 1, length: 1 },
    { from: 2, to: 3, cost: 7, length: 6 },
  ]);
  it('gives the hand-computed costs, the lengths along those paths and the paths', () => {
    const r = g.shortestFrom(0);
    expect([...r.cost]).toEqual([0, 4, 2, 5, Infinity]);
    expect([...r.length]).toEqual([0, 4, 1, 5, Infinity]);
    expect(pathTo(r.previous, 0, 3)).toEqual([0, 2, 1, 3]);
    expect(pathTo(r.previous, 0, 4)).toEqual([]);
    expect([...g.shortestFrom(3).cost]).toEqual([Infinity, Infinity, Infinity, 0, Infinity]);
  });
  it('refuses an edge to a vertex that does not exist or a negative cost', () => {
    expect(() => new CsrGraph(2, [{ from: 0, to: 2, cost: 1, length: 1 }])).toThrow(/outside 0..1/);
    expect(() => new CsrGraph(2, [{ from: 0, to: 1, cost: -1, length: 1 }])).toThrow(/cost -1/);
  });
});

describe('text as offices write it', () => {
  it('sniffs a BOM, valid UTF-8 and GBK, and obeys a forced encoding', () => {
    const utf8 = new TextEncoder().encode('代码,名称\n370321101,索镇街道\n');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    const gbk = encodeGbk('代码,名称\n370321101,索镇街道\n');
    expect([...gbk.subarray(0, 4)]).toEqual([0xb4, 0xfa, 0xc2, 0xeb]); // 代码 in GB2312
    expect(decode(utf8)).toMatchObject({ encoding: 'utf-8', how: 'valid-utf-8' });
    expect(decode(bom)).toMatchObject({ text: '代码,名称\n370321101,索镇街道\n', how: 'bom' });
    expect(decode(gbk)).toMatchObject({ text: '代码,名称\n370321101,索镇街道\n', encoding: 'gbk', how: 'fallback' });
    expect(decode(gbk, 'gbk').how).toBe('forced');
    expect(csvRecords(decode(bom).text).rows).toEqual([{ 代码: '370321101', 名称: '索镇街道' }]);
    expect([encodingNamed('GBK'), encodingNamed('936'), encodingNamed('UTF-8'), encodingNamed('latin1')]).toEqual([
      'gbk',
      'gbk',
      'utf-8',
      undefined,
    ]);
  });
  it('parses quoted CSV cells with commas and newlines', () => {
    expect(csvRecords('id,name\n1,"a, ""b""\nc"\n').rows).toEqual([{ id: '1', name: 'a, "b"\nc' }]);
  });
});

/** The meridian arc on an ellipsoid (Helmert's series, exact to ~0.1 mm), written independently of proj4. */
function meridianArc(latDeg: number, a = 6378137, f = 1 / 298.257222101): number {
  const n = f / (2 - f);
  const p = (latDeg * Math.PI) / 180;
  return (
    (a / (1 + n)) *
    ((1 + n ** 2 / 4 + n ** 4 / 64) * p -
      1.5 * (n - n ** 3 / 8) * Math.sin(2 * p) +
      (15 / 16) * (n ** 2 - n ** 4 / 4) * Math.sin(4 * p) -
      (35 / 48) * n ** 3 * Math.sin(6 * p) +
      (315 / 512) * n ** 4 * Math.sin(8 * p))
  );
}

describe('coordinate systems', () => {
  it('Gauss–Krüger on the central meridian: easting 500 km, northing the meridian arc (CGCS2000)', () => {
    for (const lat of [30, 36, 36.8, 42]) {
      const [e, n] = fromLonLat(crsFromEpsg(4548)!)(117, lat);
      expect(e).toBeCloseTo(500_000, 6);
      expect(Math.abs(n - meridianArc(lat))).toBeLessThan(0.001);
    }
  });
  it('zone-prefixed and plain 3° systems differ by the prefix only; 6° zones name their meridian', () => {
    const [e1, n1] = fromLonLat(crsFromEpsg(4548)!)(118.05, 36.9);
    const [e2, n2] = fromLonLat(crsFromEpsg(4527)!)(118.05, 36.9);
    expect(e2 - e1).toBeCloseTo(39_000_000, 6);
    expect(n2).toBe(n1);
    expect(crsFromEpsg(4500)!.label).toContain('zone 22');
    expect(fromLonLat(crsFromEpsg(4500)!)(129, 40)[0]).toBeCloseTo(22_500_000, 6);
    // Symmetric about the meridian, and back again to a micro-degree.
    const [west] = fromLonLat(crsFromEpsg(4548)!)(116, 36.5);
    const [east] = fromLonLat(crsFromEpsg(4548)!)(118, 36.5);
    expect(west - 500_000).toBeCloseTo(-(east - 500_000), 6);
    const [lon, lat] = toLonLat(crsFromEpsg(4548)!)(east, 4_040_000);
    expect(fromLonLat(crsFromEpsg(4548)!)(lon, lat)[1]).toBeCloseTo(4_040_000, 4);
  });
  it('reads an ESRI .prj (Gauss_Kruger, CGCS2000) to the same projection as EPSG:4548', () => {
    const prj =
      'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const a = fromLonLat(crsFromWkt(prj)!)(118.05, 36.9);
    const b = fromLonLat(crsFromEpsg(4548)!)(118.05, 36.9);
    expect(a[0]).toBeCloseTo(b[0], 4);
    expect(a[1]).toBeCloseTo(b[1], 4);
    expect(
      crsFromWkt('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]]')
        ?.kind,
    ).toBe('lonlat');
    expect(crsNamed('EPSG:4548')?.label).toContain('CM 117°E');
    expect(crsNamed('gcj02')).toBe(GCJ02);
    expect(crsNamed('EPSG:9999')).toBeUndefined();
  });
  it('guesses lon/lat, swapped axes and prefixed Gauss–Krüger, and says when it cannot', () => {
    expect(guessCrs([[118.0, 36.9]]).crs).toBe(WGS84);
    expect(guessCrs([[36.9, 118.0]])).toMatchObject({ crs: WGS84, swapped: true });
    expect(guessCrs([[39_504_000, 4_085_000]]).crs?.label).toContain('zone 39');
    expect(guessCrs([[504_000, 4_085_000]]).crs).toBeUndefined();
  });
  it('GCJ-02 points in Shandong are 300–700 m off WGS84 and convert back', () => {
    const plane = localPlane(118, 36.9);
    const [gx, gy] = fromLonLat(GCJ02)(118.05, 36.9);
    const [ax, ay] = plane.toKm(118.05, 36.9);
    const [bx, by] = plane.toKm(gx, gy);
    const offsetM = Math.hypot(bx - ax, by - ay) * 1000;
    expect(offsetM).toBeGreaterThan(300);
    expect(offsetM).toBeLessThan(700);
    const [lon, lat] = toLonLat(GCJ02)(gx, gy);
    const [cx, cy] = plane.toKm(lon, lat);
    expect(Math.hypot(cx - ax, cy - ay) * 1000).toBeLessThan(1);
  });
  it('the local plane is in km from its origin, true to scale near it', () => {
    const p = localPlane(118, 36.9);
    expect(p.toKm(118, 36.9)).toEqual([0, 0]);
    const [, y] = p.toKm(118, 37.9);
    expect(y).toBeCloseTo((meridianArc(37.9) - meridianArc(36.9)) / 1000, 6);
  });
});
