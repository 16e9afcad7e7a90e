/**
 * The house's layer order, checked on every test run (`npm run lint`):
 *   errors, i18n, stats, kernel, network → scenario (with each peril's definition.ts) → rng → hazards →
 *   response → perils → kpi → run → report → api → bench → cli → index
 * A module may import from its own layer and the layers before it, never from a later one, and
 * nothing may import in a cycle. kernel/ and stats/ know nothing of disasters; rng/ may import
 * scenario *types* only (the shape of a random quantity). A peril's folder is one hazard's
 * vertical slice: its definition.ts (schema, references, compile) sits with the scenario, the
 * rest (demand, events, KPI slice) in the perils layer, above the shared response machinery.
 */
const DEFINITION = 'perils/[^/]+/definition\\.ts';
const LAYERS = [
  ['errors\\.ts', 'i18n', 'stats', 'kernel', 'network'],
  ['scenario', DEFINITION],
  ['rng'],
  ['hazards'],
  ['response'],
  ['perils/(?![^/]+/definition\\.ts)'],
  ['kpi'],
  ['run'],
  ['report'],
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
      comment: 'the event kernel, the statistics and the message catalogue import nothing else from dsim',
      severity: 'error',
      from: { path: '^src/(kernel|stats|i18n)/' },
      to: { path: '^src/', pathNot: '^src/(kernel|stats|i18n)/' },
    },
    {
      name: 'rng-types-only',
      comment: 'rng/ reads the scenario types of random quantities, no scenario code',
      severity: 'error',
      from: { path: '^src/rng/' },
      to: { path: '^src/', pathNot: '^src/rng/', dependencyTypesNot: ['type-only'] },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
