import { listBundled, loadScenario } from '../../scenario/load.js';

/** Lists the bundled scenarios with their names. */
export function listCommand(): number {
  for (const name of listBundled()) {
    const { scenario } = loadScenario(name);
    process.stdout.write(`${name.padEnd(32)} ${scenario.name}\n`);
  }
  return 0;
}
