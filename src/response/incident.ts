/** An incident that needs one team on scene: a stranded group, a fire, a generic call. */
export interface Incident {
  /** Alarm time, minutes after hazard onset. */
  readonly timeMinutes: number;
  readonly zone: number;
  /** Time the team spends on scene, minutes (drawn when the incident is created). */
  readonly workMinutes: number;
  /** People concerned (for rescue: the group size). */
  readonly people: number;
  /** Distance from the zone centre to the scene, km, when drawn (else the zone's typical distance). */
  readonly localKm?: number;
}
