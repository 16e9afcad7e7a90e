/**
 * How often the annual relief share's 95% interval covers the truth, by the number of judged
 * years (issue 26, item 4). Measured on 400,000 Huantai years (engine 0.14.0) cut into runs of
 * 200 … 4,000 years, against the share over all of them: the misses are runs that met none of
 * the rare large floods (the largest tenth of judged years hold 46% of the displaced, relieved at
 * a share of 0.21 against 0.76), which no interval built from the run itself can see. Event mode
 * covers at 100 replications (test/stats/coverage.test.ts).
 */
export const RELIEF_COVERAGE = [
  { judged: 22, coverage: 0.86 },
  { judged: 56, coverage: 0.92 },
  { judged: 112, coverage: 0.93 },
  { judged: 225, coverage: 0.97 },
] as const;

/** Below this many judged years an annual run's relief interval is said to undercover. */
export const FEW_JUDGED = 200;
