/**
 * The README's "Layout" block is the map of the house: every folder under src/ has a line of its
 * own, naming exactly the .ts files it holds (and src/'s own files have theirs). A folder added,
 * moved or emptied without the map fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Entry {
  readonly path: string;
  text: string;
}

/** The entries of the Layout block: a line starting `src/…` opens one, indented lines continue it. */
function layoutEntries(readme: string): Entry[] {
  const section = readme.slice(readme.indexOf('\n## Layout\n'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  const entries: Entry[] = [];
  let current: Entry | undefined;
  for (const line of block.split('\n')) {
    const m = /^(src\/\S*)\s*(.*)$/.exec(line);
    if (m) {
      current = { path: m[1]!, text: m[2]! };
      entries.push(current);
    } else if (/^\s/.test(line) && current) current.text += ` ${line.trim()}`;
    else current = undefined;
  }
  return entries;
}

/** Folders under dir (relative, with a trailing slash) that hold a file somewhere below them. */
function folders(dir: string, out: string[] = []): string[] {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const sub = join(dir, d.name);
    if (hasFile(sub)) out.push(`${sub}/`);
    folders(sub, out);
  }
  return out;
}
const hasFile = (dir: string): boolean =>
  readdirSync(dir, { withFileTypes: true }).some((d) => d.isFile() || (d.isDirectory() && hasFile(join(dir, d.name))));
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => d.name)
    .sort();
/** The file names an entry's text names (not paths into other folders such as scenario/fields.ts). */
const named = (text: string): string[] => [...new Set([...text.matchAll(/(?<![\w/.-])([\w-]+\.ts)\b/g)].map((m) => m[1]!))].sort();

describe("the README's layout", () => {
  const entries = layoutEntries(readFileSync('README.md', 'utf8'));
  it('has a line for every folder under src/ and for no other', () => {
    const listed = entries.filter((e) => e.path.endsWith('/')).map((e) => e.path);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(folders('src').sort());
  });
  it("names exactly the .ts files of each folder, and src/'s own files", () => {
    for (const e of entries.filter((x) => x.path.endsWith('/'))) expect(named(e.text), e.path).toEqual(tsFiles(e.path));
    const own = entries.filter((e) => !e.path.endsWith('/')).map((e) => e.path.slice('src/'.length));
    expect(own.sort()).toEqual(tsFiles('src'));
  });
  it('reads entries the way the test means (a hand-made block)', () => {
    const e = layoutEntries('x\n## Layout\n\n```\nsrc/a/   one.ts · two.ts (see b/three.ts)\n         four.ts\nother/  five.ts\n```\n');
    expect(e.map((x) => [x.path, named(x.text)])).toEqual([['src/a/', ['four.ts', 'one.ts', 'two.ts']]]);
  });
});
