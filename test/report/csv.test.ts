/**
 * CSV that cannot execute: every CSV dsim writes goes through one writer (report/csv.ts) that
 * prefixes a single quote to text a spreadsheet would run as a formula (OWASP: cells starting
 * with =, +, -, @, tab or CR), and leaves the numbers it writes alone. Tested cell by cell, and on
 * every CSV output of a scenario whose names are hostile: the run's tables in zh and en, the
 * drill script for both audiences, a sweep.
 */
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { renderDrill } from '../../src/drill/render.js';
import type { Lang } from '../../src/i18n/messages.js';
import { summarise } from '../../src/kpi/summary.js';
import { sweepCsv } from '../../src/report/compare.js';
import { csvCell, csvDocument, csvTables } from '../../src/report/csv.js';
import { runLocal } from '../../src/run/local.js';
import { loadScenario, validateScenario } from '../../src/scenario/load.js';
import type { Sweep } from '../../src/studies/compare.js';

/** The cells of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line ends). */
function cells(text: string): string[] {
  const out: string[] = [];
  let i = text.startsWith('\ufeff') ? 1 : 0;
  let cell = '';
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      out.push(cell);
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '') out.push(cell);
  return out;
}

/** A cell a spreadsheet would run: starts with a formula character and is not a plain number. */
const runnable = (c: string): boolean => /^[=+\-@\t\r]/.test(c) && !/^[-+]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?%?$/.test(c);

const HOSTILE = {
  zoneA: '=HYPERLINK("http://evil.example/","A")',
  zoneAZh: '@SUM(1+1)*cmd|" /C calc"!A0',
  zoneB: '+cmd|" /C calc"!A0',
  zoneBZh: '-2+3+cmd|" /C calc"!A0',
  warehouse: '=1+1',
  warehouseZh: '\t=1+1',
  truck: '@truck',
  truckZh: '\r=2+2',
  station: '-station',
  stationZh: '=站',
};

function hostileScenario() {
  const { scenario } = loadScenario('validation/one-truck');
  const s = structuredClone(scenario) as unknown as Record<string, any>;
  s.replications = 40;
  s.district.zones[0] = { ...s.district.zones[0], name: HOSTILE.zoneA, nameZh: HOSTILE.zoneAZh };
  s.district.zones[1] = { ...s.district.zones[1], name: HOSTILE.zoneB, nameZh: HOSTILE.zoneBZh };
  s.resources.warehouses[0] = { ...s.resources.warehouses[0], name: HOSTILE.warehouse, nameZh: HOSTILE.warehouseZh };
  s.resources.fleet[0] = { ...s.resources.fleet[0], name: HOSTILE.truck, nameZh: HOSTILE.truckZh };
  s.resources.stations[0] = { ...s.resources.stations[0], name: HOSTILE.station, nameZh: HOSTILE.stationZh };
  return validateScenario(s, 'hostile.yaml');
}

describe('csvCell', () => {
  it("prefixes a quote to text starting with = + - @ tab or CR, quotes what RFC 4180 asks, leaves dsim's numbers", () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('=HYPERLINK("a","b")')).toBe('"\'=HYPERLINK(""a"",""b"")"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('-3.5')).toBe('-3.5');
    expect(csvCell('+1,000')).toBe('"+1,000"');
    expect(csvCell('-12.5%')).toBe('-12.5%');
    expect(csvCell(1e-9)).toBe('1e-9');
    expect(csvCell(null)).toBe('');
    expect(csvCell('中文')).toBe('中文');
    expect(
      csvDocument([
        ['a', 1],
        ['=b', null],
      ]),
    ).toBe("\ufeffa,1\r\n'=b,\r\n");
  });
});

describe('every CSV output, with hostile names', () => {
  const scenario = hostileScenario();
  const out = runLocal(scenario);
  const result = summarise(out.model, out.acc, out.seed);

  for (const lang of ['zh', 'en'] as Lang[]) {
    it(`the run's tables (--csv) in ${lang}: the names are there, as text`, () => {
      const all = Object.values(csvTables(result, lang)).flatMap(cells);
      expect(all.filter(runnable)).toEqual([]);
      const zone = lang === 'zh' ? HOSTILE.zoneAZh : HOSTILE.zoneA;
      expect(all).toContain(`'${zone}`);
    });
  }

  it('the drill documents (csv) in zh and en, for the controller, the evaluators and the players', async () => {
    const drill = await buildDrill(scenario, { replications: 20 });
    for (const lang of ['zh', 'en'] as Lang[]) {
      for (const audience of ['controller', 'evaluator', 'players'] as const) {
        const all = cells(renderDrill(drill, 'csv', { lang, audience, compress: 1 }));
        expect(all.filter(runnable), `${lang} ${audience}`).toEqual([]);
        // the controller's list names the truck (its deliveries, which the players' slips leave out)
        if (audience === 'controller') expect(all.some((c) => c.includes(lang === 'zh' ? HOSTILE.truckZh : HOSTILE.truck))).toBe(true);
      }
    }
  });

  it('a sweep', () => {
    const sweep = {
      paths: ['=cmd', 'resources.fleet[truck].count'],
      points: [
        [1, -2],
        [2, 3],
      ],
      metrics: [{ id: '@reliefShare', values: [0.5, null] }],
    } as unknown as Sweep;
    const all = cells(sweepCsv(sweep));
    expect(all).toEqual(["'=cmd", 'resources.fleet[truck].count', "'@reliefShare", '1', '-2', '0.5', '2', '3', '']);
  });
});
