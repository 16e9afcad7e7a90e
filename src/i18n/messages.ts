/**
 * What dsim says to people, in Chinese and English: one catalogue per language with the same keys
 * and the same `{placeholders}` (a test fails when they differ). Users are county emergency
 * offices: Chinese is the default wherever the locale says so. Targets are worded as the plans word
 * them. Knows nothing else of dsim (the lowest layer, beside errors.ts).
 */

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export const EN = {
  // run header and table heads
  'run.header': '{replications} replications, seed {seed}',
  'run.stopped': ' — stopped on precision: 95% CI half-widths {widths} {verdict} {bound}',
  'run.stopped.met': '<=',
  'run.stopped.above': 'still above',
  'run.interrupted': ' — INTERRUPTED',
  'run.hash': 'scenario hash',
  'col.kpi': 'KPI',
  'col.n': 'n',
  'col.mean': 'mean',
  'col.ci': '95% CI of mean',
  'col.hazards': 'Fires, forest fires, chemical releases, whole years',
  'col.target': 'Target',
  'col.estimate': 'estimate',
  'col.pmet': 'P(met)',
  'col.ci95': '95% CI',
  'col.zone': 'Zone',
  'col.displacedFrom': 'displaced from',
  'col.shelteredIn': 'sheltered in',
  'col.relievedInDeadline': 'relieved in deadline',
  'col.loss': 'loss',
  'col.response': 'response (min)',
  'col.fires': 'fires',
  'col.fireWithin': 'fire ≤ {minutes} min',
  'col.stockout': 'Stock-out (item)',
  'col.days': 'days',
  'col.pshort': 'P(short)',
  'col.meanShortfall': 'mean shortfall',
  'col.runsOut': 'runs out on day (p50)',
  // KPI rows
  'kpi.response': 'Response time, alarm to first team (min)',
  'kpi.relief': 'Share of displaced relieved within {hours} h',
  'kpi.timeToRelieve': 'Time to relieve everyone (h)',
  'kpi.lossRatio': 'Direct loss / annual GDP',
  'kpi.displaced': 'Displaced people',
  'kpi.returnPeriod': 'Flood return period (years)',
  'kpi.annualLoss': 'Annual direct loss / GDP',
  'kpi.deathsPerMillion': 'Disaster deaths per million per year',
  'kpi.affected': 'Affected person-times per 100,000 per year',
  'kpi.fire.response': 'Fire: alarm to first unit (min); {share} within {minutes} min{builtUp}',
  'kpi.fire.builtUp': ' (built-up {share})',
  'kpi.fire.deaths': 'Fire deaths per 100,000',
  'kpi.wildfire.size': 'Forest and reed fire size (ha); {share} attacked directly',
  'kpi.wildfire.forest': 'Forest land burned (‰); {share} of fires put out within 24 h',
  'kpi.wildfire.grass': 'Reed and grass land burned (‰); {share} of fires burned out at a barrier',
  'kpi.chemical.evacuation': 'Chemical release: AEGL-2 zone evacuated (h); deaths/replication {deaths}',
  'kpi.chemical.deaths': 'Chemical release deaths per 100 million CNY of GDP',
  // lines under the tables
  'exceedance.title': 'Annual loss / GDP exceedance (return period: loss ratio)',
  'exceedance.item': '{years} y: {value}',
  'exceedance.note': '* beyond the largest return period the flood tables give: depths extrapolated along the severity distribution',
  'target.met': 'met',
  'target.notMet': 'NOT met',
  'stockouts.none': 'Stock-outs: none (stock plus mutual aid covers the need over each item’s days in every replication)',
  'binds.line': 'What binds relief at {hours} h ({people} people waiting on average): {causes}',
  'binds.activation': 'relief not started',
  'binds.roads': 'shelter cut off by roads',
  'binds.trucks': 'trucks not there yet',
  'binds.stock': '{item} out of stock',
  utilisation: 'Utilisation over the horizon: vehicles {vehicles}, teams {teams}',
  // relief items
  'item.food': 'food',
  'item.water': 'water',
  'item.bedding': 'bedding',
  'item.tent': 'tents',
  'item.medical': 'first-aid kits',
  // targets, as the plans word them
  'target.relief-within-deadline': 'share of displaced people relieved within {hours} h >= {share} ({scope})',
  'target.response-time': 'share of rescue calls reached within {minutes} min >= {share}',
  'target.loss-ratio': 'event direct loss / annual GDP <= {max}',
  'target.average-annual-loss': 'average annual direct loss / GDP <= {max}',
  'target.deaths-per-million': 'disaster deaths per million per year <= {max}',
  'target.affected-per-100k': 'affected person-times per 100,000 per year <= {max}',
  'target.fire-circle': 'share of fires reached within {minutes} min >= {share}',
  'target.fire-deaths-per-100k': 'fire deaths per 100,000 < {max}',
  'target.forest-fire-24h': 'share of forest and reed fires put out by the teams within 24 h >= {share}',
  'target.forest-burned': 'burned forest per year <= {max}‰ of forest land',
  'target.production-safety-deaths': 'production-safety deaths per 100 million CNY of GDP per year <= {max}',
  'scope.event': 'every flood of the event',
  'scope.year': 'every flood of the year',
  // units
  'unit.cny': 'CNY',
  // the HTML report
  'report.title': 'dsim report: {name}',
  'report.summary': 'Targets',
  'report.relief': 'Share of displaced people relieved, by hours after onset',
  'report.reliefMean': 'relieved',
  'report.reliefBand': '95% CI',
  'report.deadline': 'deadline {hours} h',
  'report.response': 'Response time quantiles (min)',
  'report.threshold': 'threshold {minutes} min',
  'report.exceedance': 'Annual loss / GDP by return period',
  'report.stockouts': 'Probability each item runs short',
  'report.binds': 'What binds relief at the deadline',
  'report.map': 'Zones (size: people displaced) and roads',
  'report.zones': 'Zones',
  'report.provenance': 'Scenario {id}, hash {hash}; seed {seed}; {replications} replications; dsim engine {engine}',
  'report.hours': 'hours',
  'report.years': 'return period (years)',
} as const;

export type MessageKey = keyof typeof EN;

export const ZH: Record<MessageKey, string> = {
  'run.header': '重复模拟 {replications} 次，随机种子 {seed}',
  'run.stopped': '——按精度停止：95% 置信区间半宽 {widths} {verdict} {bound}',
  'run.stopped.met': '≤',
  'run.stopped.above': '仍高于',
  'run.interrupted': '——已中断',
  'run.hash': '情景哈希',
  'col.kpi': '指标',
  'col.n': '样本数',
  'col.mean': '均值',
  'col.ci': '均值95%置信区间',
  'col.hazards': '火灾、森林火灾、危化品泄漏，全年',
  'col.target': '目标',
  'col.estimate': '估计值',
  'col.pmet': '达标概率',
  'col.ci95': '95%置信区间',
  'col.zone': '区域',
  'col.displacedFrom': '转移人数（来自）',
  'col.shelteredIn': '安置人数（在此）',
  'col.relievedInDeadline': '时限内救助比例',
  'col.loss': '损失',
  'col.response': '响应时间（分钟）',
  'col.fires': '火灾起数',
  'col.fireWithin': '{minutes}分钟内到场',
  'col.stockout': '物资缺口（品类）',
  'col.days': '保障天数',
  'col.pshort': '缺口概率',
  'col.meanShortfall': '平均缺口',
  'col.runsOut': '耗尽日（中位数）',
  'kpi.response': '响应时间：报警至首支队伍到场（分钟）',
  'kpi.relief': '受灾群众{hours}小时内得到救助的比例',
  'kpi.timeToRelieve': '全部受灾群众得到救助用时（小时）',
  'kpi.lossRatio': '直接经济损失占GDP比例',
  'kpi.displaced': '紧急转移安置人数',
  'kpi.returnPeriod': '洪水重现期（年）',
  'kpi.annualLoss': '年均直接经济损失占GDP比例',
  'kpi.deathsPerMillion': '每百万人口年因灾死亡人数',
  'kpi.affected': '每十万人年受灾人次',
  'kpi.fire.response': '火灾：报警至首支力量到场（分钟）；{share}在{minutes}分钟内{builtUp}',
  'kpi.fire.builtUp': '（建成区{share}）',
  'kpi.fire.deaths': '每十万人火灾死亡人数',
  'kpi.wildfire.size': '森林、芦苇火灾过火面积（公顷）；{share}直接扑救',
  'kpi.wildfire.forest': '森林过火面积（‰）；{share}的火灾24小时内扑灭',
  'kpi.wildfire.grass': '芦苇、草地过火面积（‰）；{share}的火灾在隔离带处自行熄灭',
  'kpi.chemical.evacuation': '危化品泄漏：AEGL-2区域疏散用时（小时）；每次模拟死亡{deaths}人',
  'kpi.chemical.deaths': '亿元GDP生产安全事故死亡率（危化品泄漏）',
  'exceedance.title': '年损失占GDP比例超越概率（重现期：损失比例）',
  'exceedance.item': '{years}年一遇：{value}',
  'exceedance.note': '* 超出洪水表格最大重现期：水深沿严重程度分布外推',
  'target.met': '达标',
  'target.notMet': '未达标',
  'stockouts.none': '物资缺口：无（库存加支援在每次模拟中均满足各品类保障天数的需求）',
  'binds.line': '制约救助的因素（{hours}小时，平均{people}人仍在等待）：{causes}',
  'binds.activation': '救助尚未启动',
  'binds.roads': '道路中断无法送达',
  'binds.trucks': '运输车辆尚未送达',
  'binds.stock': '{item}库存不足',
  utilisation: '时段内利用率：车辆{vehicles}，队伍{teams}',
  'item.food': '食品',
  'item.water': '饮用水',
  'item.bedding': '衣被',
  'item.tent': '帐篷',
  'item.medical': '医疗包',
  'target.relief-within-deadline': '受灾群众基本生活在灾后{hours}小时内得到有效救助的比例≥{share}（{scope}）',
  'target.response-time': '救援呼叫在{minutes}分钟内到场的比例≥{share}',
  'target.loss-ratio': '单次灾害直接经济损失占GDP比例≤{max}',
  'target.average-annual-loss': '年均灾害直接经济损失占GDP比例≤{max}',
  'target.deaths-per-million': '年均每百万人口因灾死亡率≤{max}',
  'target.affected-per-100k': '年均每十万人受灾人次≤{max}',
  'target.fire-circle': '{minutes}分钟消防救援圈：火灾到场比例≥{share}',
  'target.fire-deaths-per-100k': '十万人口火灾死亡率<{max}',
  'target.forest-fire-24h': '森林、芦苇火灾24小时扑灭率≥{share}',
  'target.forest-burned': '森林火灾受害率≤{max}‰',
  'target.production-safety-deaths': '亿元国内生产总值生产安全事故死亡率≤{max}',
  'scope.event': '本次灾害每场洪水',
  'scope.year': '全年每场洪水',
  'unit.cny': '元',
  'report.title': 'dsim 报告：{name}',
  'report.summary': '目标',
  'report.relief': '受灾群众得到救助的比例（灾后小时数）',
  'report.reliefMean': '已救助比例',
  'report.reliefBand': '95%置信区间',
  'report.deadline': '时限{hours}小时',
  'report.response': '响应时间分位数（分钟）',
  'report.threshold': '目标{minutes}分钟',
  'report.exceedance': '年损失占GDP比例与重现期',
  'report.stockouts': '各类物资出现缺口的概率',
  'report.binds': '时限时制约救助的因素',
  'report.map': '区域（大小：转移人数）与道路',
  'report.zones': '区域',
  'report.provenance': '情景 {id}，哈希 {hash}；随机种子 {seed}；重复模拟 {replications} 次；dsim 引擎 {engine}',
  'report.hours': '小时',
  'report.years': '重现期（年）',
};

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en: EN, zh: ZH };

/** The message `key` in `lang`, its `{placeholders}` filled. */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The placeholders a message uses, sorted (for the catalogue test). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** zh when the locale says Chinese (LC_ALL, LC_MESSAGES, LANG, e.g. zh_CN.UTF-8), else en. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

/** A relief item's name in `lang` (items the catalogue does not know keep their scenario name). */
export function itemName(lang: Lang, item: string): string {
  const key = `item.${item}` as MessageKey;
  return key in EN ? t(lang, key) : item;
}
