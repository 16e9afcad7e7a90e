/**
 * One benchmark measurement in a child process of its own (src/bench/suite.ts runSuite): parses
 * the request in argv[2], measures the task by CPU time interleaved with the calibration
 * (src/bench/measure.ts) and prints the figures as one line of JSON. Runs the compiled dist/.
 */
import { MeasureRequest, measureTask } from '../dist/bench/measure.js';

let request;
try {
  request = MeasureRequest.parse(JSON.parse(process.argv[2] ?? ''));
} catch (e) {
  process.stderr.write(`bench-child: not a measurement request: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await measureTask(request))}\n`);
