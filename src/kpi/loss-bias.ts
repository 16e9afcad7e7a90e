/**
 * What the back-tests measure of the modelled losses (issue 26, item 1): the median of dsim's
 * distribution over what was reported, `dsim backtest` on this engine. Printed beside every loss
 * a report, a table or a drill shows, until the loss models are calibrated.
 * - flood: Shouguang in Typhoon Lekima, 2019: 9.68 billion CNY modelled at the median against
 *   "nearly 1 billion" reported (preliminary);
 * - fire: direct loss per urban fire, 186,000 CNY modelled (a building fire) against 9,024 in the
 *   2021 national statistics (all fires).
 * test/studies/backtest.test.ts measures both again and fails when they drift from these.
 */
export const LOSS_BIAS = { flood: 10, fire: 21 } as const;
