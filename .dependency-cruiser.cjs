/**
 * The house's layer order, checked on every test run (`npm run lint`); one folder per layer:
 *   errors, i18n, stats, kernel, network, geo → scenario → rng → physics → response → perils → kpi →
 *   run → studies → report → import → drill → api → bench → cli → index
 * A module may import from its own layer and the layers before it, never from a later one, and
 * nothing may import in a cycle; no exception. kernel/ and stats/ know nothing of disasters; rng/
 * may import scenario *types* only (the shape of a random quantity). A hazard kind spans three
 * layers, each a folder that says what it holds: scenario/hazards/<kind>.ts (what a scenario
 * says: schema, references, compile), physics/<kind>/ (the physical model, no simulation) and
 * perils/<kind>/ (what the simulation schedules and counts). docs/adr/0002-layers.md says why.
 */
const LAYERS = [
  ['errors\\.ts', 'i18n', 'stats', 'kernel', 'network', 'geo'],
  ['scenario'],
  ['rng'],
  ['physics'],
  ['response'],
  ['perils'],
  ['kpi'],
  ['run'],
  ['studies'],
  ['report'],
  ['import'],
  ['drill'],
  ['api'],
  ['bench'],
  ['cli'],
  ['index\\.ts'],
];
const pattern = (names) => `^src/(${names.join('|')})`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-no-upward-imports`,
  comment: `${layer.join(', ')} may not import from a later layer`,
  severity: 'error',
  from: { path: pattern(layer) },
  to: { path: pattern(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'kernel-and-stats-stand-alone',
      comment: 'the event kernel, the statistics, the message catalogue and the geography import nothing else from dsim',
      severity: 'error',
      from: { path: '^src/(kernel|stats|i18n|geo)/' },
      to: { path: '^src/', pathNot: '^src/(kernel|stats|i18n|geo)/' },
    },
    {
      name: 'rng-types-only',
      comment: 'rng/ reads the scenario types of random quantities, no scenario code',
      severity: 'error',
      from: { path: '^src/rng/' },
      to: { path: '^src/', pathNot: '^src/rng/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'drill-render-reads-the-script-only',
      comment: 'a drill is told (render.ts) from its data (script.ts) alone, never by building it again',
      severity: 'error',
      from: { path: '^src/drill/(render|script)' },
      to: { path: '^src/drill/(build|injects|levels)' },
    },
    {
      name: 'api-plugins-know-no-routes',
      comment: "the API's cross-cutting plugins (errors, auth, limits, yaml) stand alone: a test can build an app of them only",
      severity: 'error',
      from: { path: '^src/api/plugins/' },
      to: { path: '^src/api/(routes/|server|context|run-manager|study-manager|store)' },
    },
    {
      name: 'api-routes-apart',
      comment: 'a route plugin imports the shared context and helpers, not the server that registers it',
      severity: 'error',
      from: { path: '^src/api/routes/' },
      to: { path: '^src/api/server' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
