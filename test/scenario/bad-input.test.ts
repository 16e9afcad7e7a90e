import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { publicIssue, ScenarioError } from '../../src/errors.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';

const FILE = 'scenarios/validation/one-truck.yaml';
const base = (): any => parse(readFileSync(FILE, 'utf8'));

/** The issues a scenario text raises, as "path: message" lines. */
function issuesOf(text: string, file = 'bad.yaml'): { path: string; message: string; line?: number }[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => publicIssue(i, 'en'));
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}
const mutate = (f: (s: any) => void): string => {
  const s = base();
  f(s);
  return stringify(s);
};

describe('bad scenario input gets a clear error naming the field', () => {
  it('the unmodified validation scenario is valid', () => {
    expect(() => parseScenario(readFileSync(FILE, 'utf8'), FILE)).not.toThrow();
  });
  it('unknown key', () => {
    const issues = issuesOf(mutate((s) => (s.resources.warehouses[0].stok = {})));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'resources.warehouses[0].stok', message: expect.stringMatching(/unknown key/) }),
    );
  });
  it('wrong type', () => {
    const issues = issuesOf(mutate((s) => (s.resources.fleet[0].count = 'ten')));
    expect(issues).toContainEqual({ path: 'resources.fleet[0].count', code: 'invalid_type', message: 'expected a number, got "ten"' });
  });
  it('negative number, with the path into a stock map', () => {
    const issues = issuesOf(mutate((s) => (s.resources.warehouses[0].stock.water = -5)));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'resources.warehouses[0].stock.water', message: expect.stringMatching(/>= 0.*got -5/) }),
    );
  });
  it('non-finite number (.inf)', () => {
    const text = readFileSync(FILE, 'utf8').replace('gdpCnyPerYear: 1.0e9', 'gdpCnyPerYear: .inf');
    const issues = issuesOf(text);
    expect(issues[0]!.path).toBe('district.gdpCnyPerYear');
    expect(issues[0]!.message).toMatch(/Infinity/);
  });
  it('huge number', () => {
    const issues = issuesOf(mutate((s) => (s.resources.fleet[0].count = 1e12)));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'resources.fleet[0].count', message: expect.stringMatching(/<= 1000000/) }),
    );
  });
  it('a seed beyond 2^53 is one problem, told once', () => {
    const issues = issuesOf(mutate((s) => (s.seed = 2 ** 53 * 10)));
    expect(issues).toEqual([{ path: 'seed', code: 'too_big', message: 'expected a number <= 9007199254740991, got 90071992547409920' }]);
  });
  it('non-integer count', () => {
    const issues = issuesOf(mutate((s) => (s.district.zones[0].population = 2400.5)));
    expect(issues[0]!.path).toBe('district.zones[0].population');
  });
  it('zone that does not exist, listing the valid ones', () => {
    const issues = issuesOf(mutate((s) => (s.resources.warehouses[0].zone = 'Z9')));
    expect(issues).toEqual([
      { path: 'resources.warehouses[0].zone', code: 'unknown_reference', message: 'unknown zone "Z9"; zones are: "A", "B"' },
    ]);
  });
  it('depot that does not exist', () => {
    const issues = issuesOf(mutate((s) => (s.resources.fleet[0].depot = 'nowhere')));
    expect(issues[0]).toMatchObject({
      path: 'resources.fleet[0].depot',
      message: expect.stringMatching(/unknown warehouse "nowhere"; warehouses are: "depot"/),
    });
  });
  it('stock of an item the relief norms do not define', () => {
    const issues = issuesOf(mutate((s) => (s.resources.warehouses[0].stock.tents = 10)));
    expect(issues[0]).toMatchObject({
      path: 'resources.warehouses[0].stock.tents',
      message: expect.stringMatching(/unknown relief item "tents"/),
    });
  });
  it('a team type no station has', () => {
    const issues = issuesOf(mutate((s) => (s.hazards[0].rescue.teamTypes = ['boat'])));
    expect(issues[0]).toMatchObject({
      path: 'hazards[0].rescue.teamTypes[0]',
      message: expect.stringMatching(/no station or mutual aid has a team of type "boat"/),
    });
  });
  it('unknown hazard type', () => {
    const issues = issuesOf(mutate((s) => (s.hazards[0].type = 'tsunami')));
    expect(issues[0]!.path).toBe('hazards[0].type');
    expect(issues[0]!.message).toBe('expected one of "flood", "incidents", "urban-fire", "wildfire", "chemical", got "tsunami"');
  });
  it('a distribution with min > max', () => {
    const issues = issuesOf(mutate((s) => (s.response.activationMinutes = { dist: 'uniform', min: 10, max: 5 })));
    expect(issues[0]).toMatchObject({ path: 'response.activationMinutes.max', message: 'expected min <= max' });
  });
  it('missing required field', () => {
    const issues = issuesOf(mutate((s) => delete s.targets.reliefDeadlineHours));
    expect(issues).toContainEqual({ path: 'targets.reliefDeadlineHours', code: 'invalid_type', message: 'missing: expected a number' });
  });
  it('empty file', () => {
    expect(issuesOf('')).toEqual([{ path: '', code: 'empty', message: 'the file is empty' }]);
    expect(issuesOf('# only a comment\n')[0]!.message).toMatch(/no scenario/);
  });
  it('YAML syntax error, with its line', () => {
    const issues = issuesOf('schemaVersion: 1\nid: x\nname: [unclosed\nseed: 1\n');
    expect(issues[0]!.message).toMatch(/YAML syntax error/);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
  });
  it('duplicate YAML key is a syntax error, not a silent overwrite', () => {
    const issues = issuesOf('schemaVersion: 1\nid: x\nid: y\n');
    expect(issues[0]).toMatchObject({ line: 3, message: expect.stringMatching(/YAML syntax error.*[Dd]uplicate|unique/) });
  });
  it('reports every problem at once, and the message names the file and each path', () => {
    const text = mutate((s) => {
      s.resources.fleet[0].count = -1;
      s.district.gdpCnyPerYear = 'a lot';
    });
    try {
      parseScenario(text, 'scenarios/x.yaml');
      throw new Error('not rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/^scenarios\/x.yaml: 2 problems/);
      expect(msg).toContain('scenarios/x.yaml: district.gdpCnyPerYear: expected a number, got "a lot"');
      expect(msg).toContain('scenarios/x.yaml: resources.fleet[0].count:');
    }
  });
  it('a scenario name that tries to leave the scenario folder is not found', () => {
    expect(() => loadScenario('../package.json')).toThrow(/no such scenario file/);
    expect(() => loadScenario('../src/cli/main.ts')).toThrow(/no such scenario file/);
  });
});
