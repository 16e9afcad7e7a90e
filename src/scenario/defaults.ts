/**
 * Default day-1 relief norms, used when a scenario gives no `reliefNorms` (and the default item
 * priority when it gives no `response.itemPriority`). Each figure cites its source.
 */
export const DEFAULT_RELIEF_NORMS = {
  food: {
    perPerson: 0.5,
    unit: 'kg',
    unitMassKg: 1,
    coveredByShelterPlaces: false,
    days: 1,
    source: 'grain 0.35 kg/person/day (004_534827c26e46b7ae.txt L165) + 0.15 kg other food (estimate, Sphere 2,100 kcal/day)',
  },
  water: {
    perPerson: 3,
    unit: 'L',
    unitMassKg: 1,
    coveredByShelterPlaces: false,
    days: 1,
    source: 'Sphere Handbook 2018: 2.5–3 L/person/day drinking water',
  },
  bedding: {
    perPerson: 1,
    unit: 'quilt',
    unitMassKg: 2.5,
    coveredByShelterPlaces: false,
    days: 1,
    source: 'estimate: one quilt or set of clothing per person (standard relief practice)',
  },
  tent: {
    perPerson: 0.25,
    unit: 'tent',
    unitMassKg: 35,
    coveredByShelterPlaces: true,
    days: 1,
    source: 'estimate: one 12 m² family tent per 4 people (Sphere: ≥3.5 m² covered space per person)',
  },
  medical: {
    perPerson: 0.05,
    unit: 'kit',
    unitMassKg: 2,
    coveredByShelterPlaces: false,
    days: 1,
    source: 'estimate: one first-aid kit per 20 people',
  },
};

/** 先主后次: water, food and shelter before bedding and medical kits. */
export const DEFAULT_ITEM_PRIORITY = ['water', 'food', 'tent', 'bedding', 'medical'];

/**
 * Direct loss per death of a production-safety accident, CNY. GB 6721-1986 §3.1.1 counts what is
 * paid after a death (medical, funeral, compensation) as direct economic loss. The two statutory
 * items for a third party killed (最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释,
 * 2022 revision, arts. 14–15; the same multiples as 工伤保险条例 art. 39 for a worker):
 * - death compensation, 20 years of the urban per-capita disposable income: 20 × 51,821
 *   (national, 2023: 国家统计局, 2023年国民经济和社会发展统计公报);
 * - funeral costs, 6 months of the average wage: 120,698 / 2 (national urban non-private units,
 *   2023: 国家统计局, 2024-05-17).
 * Medical costs of the injured are not counted: the model has no injuries. A province's own
 * figures (the court uses the province's) replace these national ones in a scenario.
 */
export const DEATH_COST_CNY = 20 * 51_821 + 120_698 / 2;
