/**
 * Scenario paths in the planner's words (scenario/describe.ts): what study pages and answers show
 * instead of a config path (issue 24 item 4).
 */
import { describe, expect, it } from 'vitest';
import { pathLabels } from '../../src/scenario/describe.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('a path in words', () => {
  const s = loadScenario('huantai/flood-50y').scenario;
  it('names the unit, the item and its unit, or the field', () => {
    expect(pathLabels(s, 'resources.warehouses[county-reserve].stock.bedding')).toEqual({
      zh: '县应急物资储备中心 · 衣被（床）',
      en: 'County emergency supplies reserve centre · bedding (quilts)',
    });
    expect(pathLabels(s, 'resources.fleet[support-fleet].count')).toEqual({
      zh: '道路交通综合应急保障车队 · 车辆数',
      en: 'Road-traffic emergency support fleet · vehicles',
    });
    expect(pathLabels(s, 'resources.stations[fire-suozhen].teams[1].count').zh).toBe('索镇消防救援站 · 水上救援 · 队伍数');
    expect(pathLabels(s, 'targets.reliefDeadlineHours').zh).toBe('救助时限（小时）');
    expect(pathLabels(s, 'hazards[0].event.returnPeriodYears').zh).toBe('洪水 · 重现期（年）');
  });
  it('keeps what has no name as written', () => {
    expect(pathLabels(s, 'response.itemPriority').en).toBe('itemPriority');
    expect(pathLabels(s, 'resources.warehouses[nowhere].stock.bedding').en).toBe('nowhere · bedding (quilts)');
  });
});
