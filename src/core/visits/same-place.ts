/**
 * "Many cards submitted from one place at one time": a sign of cards filled at a desk, not in households.
 * Pure: the caller passes the other cards submitted around the same time with their start locations.
 */
import { distanceMeters } from './risk-flags.js';

export interface PlacedCard {
  householdId: number;
  lat: number;
  lon: number;
}

/** How many other households' cards were started within `meters` of this one (same time window, chosen by the caller). */
export function cardsAtSamePlace(self: PlacedCard, others: PlacedCard[], meters: number): number {
  const households = new Set<number>();
  for (const o of others) {
    if (o.householdId === self.householdId) continue;
    if (distanceMeters(self, o) <= meters) households.add(o.householdId);
  }
  return households.size;
}
