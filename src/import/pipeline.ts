/**
 * `dsim import`: township polygons, census figures, roads, flood-depth rasters and facility lists
 * → a validated scenario (the template's teams, stocks, norms, hazards and targets around the
 * imported district), a manifest (every input's size, SHA-256, format, CRS and encoding and how
 * each was determined; the parameters) and a QA report in zh and en. The same inputs give the
 * same bytes: nothing depends on time, feature order or the machine.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import { ScenarioError } from '../errors.js';
import { ENGINE_VERSION } from '../kpi/summary.js';
import { parseYaml, validateScenario, zodIssues } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { SECTORS } from '../scenario/schema.js';
import { importDepth, type RoadWater, type ZoneDepth } from './depth.js';
import { importDepthPolygons } from './depth-classes.js';
import { checkWebMapOffset, type Facility, importFacilities } from './facilities.js';
import { fileLabel, ImportLog, type InputRecord, importError, sha256 } from './inputs.js';
import { DEFAULT_ROAD_SPEEDS_KMH, ImportParams } from './params.js';
import { type PopulationResult, readPopulation } from './population.js';
import { importRoads, type RoadResult } from './roads.js';
import { type ImportedZone, importZones } from './zones.js';

/** What to import: the one schema of `dsim import`'s options, its `--inputs` file and (later) the API. */
const fieldsSchema = z.strictObject({
  code: z.string().optional(),
  name: z.string().optional(),
  population: z.string().optional(),
  households: z.string().optional(),
});
const crsName = z.string().min(1).max(2000);
export const ImportSpec = z.strictObject({
  template: z.string().min(1),
  zones: z.string().min(1),
  zonesCrs: crsName.optional(),
  zoneFields: fieldsSchema.optional(),
  census: z.string().min(1).optional(),
  censusFields: fieldsSchema.optional(),
  encoding: z.enum(['utf-8', 'gbk']).optional(),
  roads: z.string().min(1).optional(),
  depth: z
    .array(
      z.strictObject({
        returnPeriodYears: z.number().gt(1).max(1e6),
        file: z.string().min(1),
        unit: z.enum(['m', 'cm', 'ft']).optional(),
        /** Classified depth polygons: the column holding the class, and label → metres (else the rule of depth-classes.ts). */
        field: z.string().min(1).max(100).optional(),
        classes: z.record(z.string().max(100), z.number().min(0).max(50)).optional(),
      }),
    )
    .max(50)
    .optional(),
  depthCrs: crsName.optional(),
  depthUnit: z.enum(['m', 'cm', 'ft']).optional(),
  nodataAsDry: z.boolean().optional(),
  population: z.string().min(1).optional(),
  populationCrs: crsName.optional(),
  facilities: z.string().min(1).optional(),
  facilitiesCrs: crsName.optional(),
});
export type ImportOptions = z.infer<typeof ImportSpec>;

/**
 * An import spec (import.yaml, or the spec part of POST /imports) validated, each file it names
 * resolved by `at(field, name)`: against the spec's folder on the command line, against the
 * uploaded files over HTTP. `label` names the spec in errors.
 */
export function resolveSpec(text: string, label: string, at: (field: string, name: string) => string): ImportOptions {
  const { data, issues } = parseYaml(text);
  if (issues.length > 0) throw new ScenarioError(label, issues);
  const parsed = ImportSpec.safeParse(data);
  if (!parsed.success) throw new ScenarioError(label, zodIssues(parsed.error, data));
  const s = parsed.data;
  return {
    ...s,
    template: at('template', s.template),
    zones: at('zones', s.zones),
    ...(s.census !== undefined && { census: at('census', s.census) }),
    ...(s.roads !== undefined && { roads: at('roads', s.roads) }),
    ...(s.facilities !== undefined && { facilities: at('facilities', s.facilities) }),
    ...(s.population !== undefined && { population: at('population', s.population) }),
    ...(s.depth !== undefined && { depth: s.depth.map((d, i) => ({ ...d, file: at(`depth[${i}].file`, d.file) })) }),
  };
}

/**
 * Depths at which each zone's people at or above are counted (m): every 10 cm to 1 m, where
 * displacement and the JRC curves change fastest, then coarser; the displacement depth of the
 * template's flood is added, so at a tabulated return period the engine's displaced count is the
 * importer's cell count. Between two depths the engine interpolates linearly (bands.ts).
 */
export const EXCEEDANCE_DEPTHS_M = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5] as const;

export interface FloodRow {
  zone: string;
  /** Share of the zone's people (or area) at or above each of `depthsM`, a row per return period. */
  exceedance: { depthsM: number[]; share: number[][]; meanDepthM: number[][] };
  returnPeriodYears: number[];
  depthM: number[];
  floodedShare: number[];
  coverage: number[];
}

export interface ImportResult {
  scenario: Scenario;
  /** The zones' polygons as WGS84 GeoJSON, written beside the scenario as zones.geojson. */
  geometry: string;
  /** The scenario as YAML, as written. */
  yaml: string;
  manifest: object;
  zones: ImportedZone[];
  roads?: RoadResult;
  population?: PopulationResult;
  flood: FloodRow[];
  /** Per road link (as roads.links), the water along it by return period. */
  linkWater?: LinkWater[];
  facilities: Facility[];
  log: ImportLog;
  params: ImportParams;
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

function readTemplate(path: string, log: ImportLog): { data: Record<string, unknown>; params: ImportParams } {
  const { bytes } = log.read(path, 'imp.role.template', 'YAML', 5 * 1024 * 1024);
  const { data, issues } = parseYaml(new TextDecoder().decode(bytes));
  if (issues.length > 0) throw new ScenarioError(path, issues);
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw importError('imp.err.templateImport', { file: path, reason: 'not a mapping' });
  const { import: block, ...rest } = data as Record<string, unknown>;
  if (block === undefined) throw importError('imp.err.templateImport', { file: path, reason: 'import: is missing' });
  const parsed = ImportParams.safeParse(block);
  if (!parsed.success)
    throw new ScenarioError(
      path,
      zodIssues(parsed.error, block).map((i) => ({ ...i, path: `import.${i.path}`.replace(/\.$/, '') })),
    );
  return { data: rest, params: parsed.data };
}

export async function runImport(o: ImportOptions): Promise<ImportResult> {
  const log = new ImportLog();
  const { data: template, params } = readTemplate(o.template, log);
  const zones = importZones(
    o.zones,
    {
      fields: o.zoneFields ?? {},
      censusFields: o.censusFields ?? {},
      ...(o.zonesCrs !== undefined && { zonesCrs: o.zonesCrs }),
      ...(o.census !== undefined && { census: o.census }),
      ...(o.encoding !== undefined && { encoding: o.encoding }),
      ...(params.originZone !== undefined && { originZone: params.originZone }),
    },
    log,
  );
  const speeds = { ...DEFAULT_ROAD_SPEEDS_KMH, ...params.roadSpeedsKmh };
  const roads = o.roads === undefined ? undefined : importRoads(o.roads, zones, speeds, params.linkTolerance, log);
  const population = o.population === undefined ? undefined : await readPopulation(o.population, zones, o.populationCrs, log);
  const floodHazard = asList(template['hazards']).find(
    (h) => h['type'] === 'flood' && (params.floodHazard === undefined || h['id'] === params.floodHazard),
  );
  const displacement = typeof floodHazard?.['displacementDepthM'] === 'number' ? (floodHazard['displacementDepthM'] as number) : undefined;
  const tables =
    o.depth && o.depth.length > 0
      ? await floodTables(o, zones, params, log, population, displacement, roads?.links.map((l) => l.path) ?? [])
      : undefined;
  const flood = tables?.rows ?? [];
  const facilities =
    o.facilities === undefined
      ? []
      : importFacilities(
          o.facilities,
          zones,
          { ...(o.facilitiesCrs !== undefined && { crs: o.facilitiesCrs }), ...(o.encoding !== undefined && { encoding: o.encoding }) },
          log,
        );
  if (o.facilities !== undefined && roads) checkWebMapOffset(facilities, roads.lines, log, o.facilities);
  const geometry = `${JSON.stringify({
    type: 'FeatureCollection',
    features: zones.map((z) => ({
      type: 'Feature',
      properties: { id: z.id, name: z.name, hub: z.hubLonLat.map((v) => Math.round(v * 1e7) / 1e7) },
      geometry: {
        type: 'MultiPolygon',
        coordinates: z.lonlat.map((p) => p.map((r) => r.map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]))),
      },
    })),
  })}\n`;
  const data = assemble(template, zones, roads, flood, facilities, params, o, log, tables?.links);
  (data['district'] as Record<string, unknown>)['geo'] = {
    zones: 'zones.geojson',
    sha256: sha256(new TextEncoder().encode(geometry)),
    source: 'dsim import: the zones as imported, WGS84',
  };
  const scenario = validateScenario(data, o.template);
  const yaml = `# Built by dsim import (dsim ${ENGINE_VERSION}) from the files in import-manifest.json; edit the template and import again rather than this file.\n${stringify(data, { lineWidth: 0 })}`;
  const manifest = {
    kind: 'dsim.import-manifest',
    schemaVersion: 1,
    dsimVersion: ENGINE_VERSION,
    scenario: scenario.id,
    inputs: log.inputs.map(manifestInput),
    parameters: { ...params, roadSpeedsKmh: speeds, depthUnit: o.depthUnit ?? 'm', nodataAsDry: o.nodataAsDry === true },
    roads: roads && { vertices: roads.vertices, links: roads.links.length, maxTimeError: round(roads.maxTimeError, 4) },
    findings: log.findings.map((f) => ({
      level: f.level,
      code: f.code,
      key: f.key,
      params: f.params,
      ...(f.subject !== undefined && { subject: f.subject }),
    })),
    licence: o.roads === undefined ? undefined : 'Road links derived from OpenStreetMap data are © OpenStreetMap contributors, ODbL 1.0',
  };
  return {
    scenario,
    geometry,
    yaml,
    manifest,
    zones,
    ...(roads && { roads }),
    ...(population && { population }),
    flood,
    ...(tables?.links && { linkWater: tables.links }),
    facilities,
    log,
    params,
  };
}

function manifestInput(r: InputRecord): object {
  return {
    path: r.path,
    role: r.role.replace('imp.role.', ''),
    ...(r.roleParams && { ...r.roleParams }),
    bytes: r.bytes,
    sha256: r.sha256,
    format: r.format,
    crs: r.crs,
    crsHow: r.crsHow,
    encoding: r.encoding,
    encodingHow: r.encodingHow,
  };
}

async function floodTables(
  o: ImportOptions,
  zones: readonly ImportedZone[],
  params: ImportParams,
  log: ImportLog,
  population: PopulationResult | undefined,
  displacementDepthM: number | undefined,
  roadPaths: readonly (readonly (readonly [number, number])[])[],
): Promise<{ rows: FloodRow[]; links: LinkWater[] }> {
  const depthsM = [...new Set([...EXCEEDANCE_DEPTHS_M, ...(displacementDepthM === undefined ? [] : [displacementDepthM])])]
    .filter((d) => d > params.wetThresholdM)
    .sort((a, b) => a - b);
  const byRp: { rp: number; file: string; stats: ZoneDepth[]; water: RoadWater[] }[] = [];
  for (const d of [...o.depth!].sort((a, b) => a.returnPeriodYears - b.returnPeriodYears)) {
    const options = {
      unit: d.unit ?? o.depthUnit ?? 'm',
      wetThresholdM: params.wetThresholdM,
      exceedanceDepthsM: depthsM,
      ...(o.depthCrs !== undefined && { crs: o.depthCrs }),
    };
    // A GeoTIFF grid, or classified polygons (GeoJSON, TopoJSON, Shapefile, zipped or not).
    const stats = /\.tiff?$/i.test(d.file)
      ? await importDepth(d.file, d.returnPeriodYears, zones, options, log, population?.sampler, roadPaths)
      : await importDepthPolygons(
          d.file,
          d.returnPeriodYears,
          zones,
          { ...options, ...(d.field !== undefined && { field: d.field }), ...(d.classes !== undefined && { classes: d.classes }) },
          log,
          population?.sampler,
          roadPaths,
        );
    byRp.push({ rp: d.returnPeriodYears, file: d.file, stats: stats.zones, water: stats.roads });
  }
  const rows: FloodRow[] = [];
  zones.forEach((z, i) => {
    const row: FloodRow = {
      zone: z.id,
      returnPeriodYears: [],
      depthM: [],
      floodedShare: [],
      coverage: [],
      exceedance: { depthsM: [...depthsM], share: [], meanDepthM: [] },
    };
    for (const { rp, file, stats } of byRp) {
      const s = stats[i]!;
      const coverage = s.expectedCells > 0 ? Math.min(1, s.validCells / s.expectedCells) : 0;
      if (coverage < 0.9 && !o.nodataAsDry)
        throw importError('imp.err.coverage', { file, zone: `${z.name} (${z.id})`, coverage: `${(coverage * 100).toFixed(1)}%` });
      if (coverage < 0.99) {
        if (o.nodataAsDry)
          log.warn(
            'nodata-as-dry',
            'imp.w.nodataAsDry',
            { zone: z.name, file: fileLabel(file), share: `${((1 - coverage) * 100).toFixed(1)}%` },
            z.id,
          );
        else
          log.warn(
            'coverage',
            'imp.w.coverage',
            { zone: z.name, file: fileLabel(file), coverage: `${(coverage * 100).toFixed(1)}%` },
            z.id,
          );
      }
      // Shares of people with a population raster (of cells without); missing cells read as dry
      // add to the denominator only.
      const all = population ? z.population : s.expectedCells;
      const denominator = o.nodataAsDry ? Math.max(s.validWeight, all) : s.validWeight;
      row.returnPeriodYears.push(rp);
      row.floodedShare.push(denominator > 0 ? round(s.wetWeight / denominator, 4) : 0);
      row.depthM.push(s.wetWeight > 0 ? round(s.sumWetDepthWeight / s.wetWeight, 2) : 0);
      row.exceedance.share.push(Array.from(s.exceedWeight, (w) => (denominator > 0 ? round(w / denominator, 4) : 0)));
      row.exceedance.meanDepthM.push(Array.from(s.bandWeight, (w, i) => (w > 0 ? round(s.bandDepthWeight[i]! / w, 3) : 0)));
      row.coverage.push(round(coverage, 4));
    }
    for (let k = 1; k < row.floodedShare.length; k++) {
      if (row.floodedShare[k]! < row.floodedShare[k - 1]!) {
        log.warn(
          'not-monotone',
          'imp.w.notMonotone',
          {
            zone: z.name,
            a: row.floodedShare[k - 1]!,
            t1: row.returnPeriodYears[k - 1]!,
            b: row.floodedShare[k]!,
            t2: row.returnPeriodYears[k]!,
          },
          z.id,
        );
      }
    }
    rows.push(row);
  });
  const links = roadPaths.map((_, k) => ({
    returnPeriodYears: byRp.map((b) => b.rp),
    maxDepthM: byRp.map((b) => round(b.water[k]!.maxDepthM, 2)),
    wetShare: byRp.map((b) => round(b.water[k]!.wetShare, 4)),
  }));
  return { rows, links };
}

/** Water along an imported link by return period (the depth rasters sampled along its road). */
export interface LinkWater {
  returnPeriodYears: number[];
  maxDepthM: number[];
  wetShare: number[];
}

type Obj = Record<string, unknown>;
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function assemble(
  template: Obj,
  zones: readonly ImportedZone[],
  roads: RoadResult | undefined,
  flood: readonly FloodRow[],
  facilities: readonly Facility[],
  params: ImportParams,
  o: ImportOptions,
  log: ImportLog,
  linkWater?: readonly LinkWater[],
): Obj {
  const zonesFile = log.inputs.find((r) => r.role === 'imp.role.zones')!;
  const shelterPlaces = new Map<string, number>();
  for (const f of facilities)
    if (f.kind === 'shelter' && f.zone !== undefined) shelterPlaces.set(f.zone, (shelterPlaces.get(f.zone) ?? 0) + (f.places ?? 0));
  const origin = zones.find((z) => z.positionKm[0] === 0 && z.positionKm[1] === 0) ?? zones[0]!;
  const district = (template['district'] ?? {}) as Obj;
  const zoneList = zones.map((z) => {
    if (z.households === undefined && params.householdSize === undefined)
      throw importError('imp.err.householdSize', { file: o.census ?? o.zones });
    const households = z.households ?? Math.round(z.population / params.householdSize!);
    const assetsCny =
      z.assetsCny ??
      Object.fromEntries(
        SECTORS.filter((s) => params.assetsPerCapitaCny[s] !== undefined).map((s) => [
          s,
          Math.round(params.assetsPerCapitaCny[s]! * z.population),
        ]),
      );
    return {
      id: z.id,
      name: z.name,
      nameZh: z.name,
      population: z.population,
      households,
      assetsCny,
      position: { xKm: round(z.positionKm[0], 3), yKm: round(z.positionKm[1], 3) },
      localTravelKm: Math.min(200, Math.max(0.1, round(0.5 * Math.sqrt(z.areaKm2), 1))),
      shelterPlaces: shelterPlaces.get(z.id) ?? 0,
      areaKm2: Math.max(1e-6, round(z.areaKm2, 3)),
      source: [
        `import: ${fileLabel(zonesFile.path)} sha256:${zonesFile.sha256.slice(0, 12)}${z.code ? `, code ${z.code}` : ''}`,
        `population: ${z.populationFrom}`,
        z.households === undefined
          ? `households: population / ${params.householdSize} (template import.householdSize)`
          : 'households: census',
        z.assetsCny ? 'assets: census table' : 'assets: template import.assetsPerCapitaCny × population (estimate)',
        `position: a point inside the polygon, km east/north of ${origin.name}; localTravelKm: 0.5 × √area (estimate)`,
      ].join('; '),
    };
  });
  const out: Obj = { ...template, district: { ...district, zones: zoneList } };
  if (roads) {
    const roadsFile = log.inputs.find((r) => r.role === 'imp.role.roads')!;
    out['roads'] = {
      source: `import: ${fileLabel(roadsFile.path)} sha256:${roadsFile.sha256.slice(0, 12)}; fastest paths between zone hubs (slower direction), speeds by class or maxspeed (manifest); closes at ${params.closesAtDepthM} m (template import.closesAtDepthM)`,
      links: roads.links.map((l, k) => ({
        from: l.from,
        to: l.to,
        lengthKm: l.lengthKm,
        speedKmh: l.speedKmh,
        closesAtDepthM: params.closesAtDepthM,
        ...(linkWater?.[k] && { flood: { ...linkWater[k], source: 'import: the depth rasters sampled every half cell along the road' } }),
      })),
    };
  }
  const hazards = asList(template['hazards']).map((h) => ({ ...h }));
  if (flood.length > 0) {
    const target = hazards.find((h) => h['type'] === 'flood' && (params.floodHazard === undefined || h['id'] === params.floodHazard));
    if (!target)
      throw importError('imp.err.floodHazard', {
        file: o.template,
        named: params.floodHazard === undefined ? '' : ` "${params.floodHazard}"`,
      });
    const before = new Map(asList(target['zones']).map((z) => [z['zone'], z]));
    const files = log.inputs.filter((r) => r.role === 'imp.role.depth').map((r) => `${fileLabel(r.path)} sha256:${r.sha256.slice(0, 12)}`);
    target['zones'] = flood
      .filter((r) => r.floodedShare.some((s) => s > 0))
      .map((r) => {
        const kept = before.get(r.zone);
        return {
          zone: r.zone,
          returnPeriodYears: r.returnPeriodYears,
          depthM: r.depthM,
          floodedShare: r.floodedShare,
          ...(r.exceedance.depthsM.length > 0 && { exceedance: r.exceedance }),
          ...(kept?.['evacuateTo'] !== undefined && { evacuateTo: kept['evacuateTo'] }),
          source: `import: ${files.join(', ')}; share of the zone's ${o.population ? 'people (census, placed by the population raster)' : 'cells'} deeper than ${params.wetThresholdM} m and their mean depth${o.nodataAsDry ? '; missing cells read as dry (--nodata-as-dry)' : ''}`,
        };
      });
  }
  placeFacilities(out, hazards, facilities, o.facilities !== undefined, log);
  out['hazards'] = hazards;
  return out;
}

/** Template stations, warehouses and chemical sites take the zone of the facility with their id. */
function placeFacilities(out: Obj, hazards: Obj[], facilities: readonly Facility[], listed: boolean, log: ImportLog): void {
  const resources = { ...((out['resources'] ?? {}) as Obj) };
  const byId = new Map(facilities.map((f) => [f.id, f]));
  const used = new Set<string>();
  const place = (list: Obj[], kind: Facility['kind']): Obj[] =>
    list.map((item) => {
      const f = byId.get(String(item['id']));
      if (f && f.kind === kind && f.zone !== undefined) {
        used.add(f.id);
        return { ...item, zone: f.zone };
      }
      if (listed && !f)
        log.warn(
          'template-resource',
          'imp.w.templateResource',
          { what: { key: `imp.kind.${kind}` }, id: String(item['id']), zone: String(item['zone']) },
          String(item['id']),
        );
      return item;
    });
  resources['stations'] = place(asList(resources['stations']), 'station');
  resources['warehouses'] = place(asList(resources['warehouses']), 'warehouse');
  out['resources'] = resources;
  for (const h of hazards) if (h['type'] === 'chemical') h['sites'] = place(asList(h['sites']), 'chemical-site');
  for (const f of facilities) {
    if (f.kind !== 'shelter' && f.zone !== undefined && !used.has(f.id))
      log.warn('facility-unused', 'imp.w.facilityUnused', { id: f.id, kind: { key: `imp.kind.${f.kind}` } }, f.id);
  }
}
