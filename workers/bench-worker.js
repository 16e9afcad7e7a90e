/**
 * One benchmark measurement in a fresh worker thread (src/bench/suite.ts runSuite): times the task
 * named in workerData between two timings of the calibration and posts the figures.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { measureTask } from '../dist/bench/suite.js';

parentPort.postMessage(await measureTask(workerData));
