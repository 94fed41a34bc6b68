import type { Absence, Delegation } from './store.ts';

/**
 * The changes to a lead's plans after they were first recorded, as both stores keep them, and what
 * is in force once they are applied. Each change is an insert, the next in its sequence under a
 * unique index (FerretDB's updates are not atomic): of two replicas changing the same plan at once,
 * one gets the sequence number, and the other reads again and decides again.
 */

/**
 * One change to a section's delegation in a week: handed to `person`, or, without one, cancelled
 * (its usual owners answer it again). The n-th change of a section's week has sequence n.
 */
export interface DelegationChange {
  teamId: string;
  week: string;
  sectionId: string;
  sequence: number;
  person?: string;
  setBy: string;
  at: Date;
}

/** One change to an absence (one person and date range) after it was recorded: cancelled, or recorded again. */
export interface AbsenceChange {
  teamId: string;
  person: string;
  from: string;
  to: string;
  sequence: number;
  cancelled: boolean;
  setBy: string;
  at: Date;
}

/** How many times a change is tried: each failure means another replica's change of the same plan landed first. */
export const PLAN_CHANGE_ATTEMPTS = 20;

/**
 * A week's delegations in force, oldest first (a later one for the same section wins). For each
 * section: the delegations recorded before there were changes (`recorded`, oldest first), then its
 * changes in sequence: a handover is added, a cancellation drops every one before it.
 */
export function delegationsInForce(recorded: readonly Delegation[], changes: readonly DelegationChange[]): Delegation[] {
  const bySection = new Map<string, Delegation[]>();
  const of = (sectionId: string) => bySection.get(sectionId) ?? bySection.set(sectionId, []).get(sectionId)!;
  for (const d of recorded) of(d.sectionId).push(delegationOf(d, d.person));
  for (const change of [...changes].sort((a, b) => a.sequence - b.sequence)) {
    if (change.person === undefined) bySection.set(change.sectionId, []);
    else of(change.sectionId).push(delegationOf(change, change.person));
  }
  return [...bySection.values()].flat().sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The delegation in force for one section (its changes and records only), or null. */
export function delegationInForce(recorded: readonly Delegation[], changes: readonly DelegationChange[]): Delegation | null {
  return delegationsInForce(recorded, changes).at(-1) ?? null;
}

function delegationOf(d: Omit<Delegation, 'person'>, person: string): Delegation {
  return { teamId: d.teamId, week: d.week, sectionId: d.sectionId, person, setBy: d.setBy, at: d.at };
}

/** The key of one absence: its person and range. */
export const absenceKey = (a: { person: string; from: string; to: string }): string => JSON.stringify([a.person, a.from, a.to]);

/**
 * A team's absences in force, in the order they were recorded: one cancelled last is left out; one
 * recorded again after a cancellation counts as recorded then, by whoever recorded it again.
 */
export function absencesInForce(recorded: readonly Absence[], changes: readonly AbsenceChange[]): Absence[] {
  const last = new Map<string, AbsenceChange>();
  for (const change of [...changes].sort((a, b) => a.sequence - b.sequence)) last.set(absenceKey(change), change);
  return recorded
    .flatMap((a) => {
      const change = last.get(absenceKey(a));
      if (change?.cancelled) return [];
      const { setBy, at } = change ?? a;
      return [{ teamId: a.teamId, person: a.person, from: a.from, to: a.to, setBy, at }];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Whether an absence is in force: recorded, and not cancelled by its last change. */
export function absenceInForce(recorded: boolean, changes: readonly AbsenceChange[]): boolean {
  const last = [...changes].sort((a, b) => a.sequence - b.sequence).at(-1);
  return recorded && !last?.cancelled;
}

/** The next sequence number after these changes. */
export function nextSequence(changes: readonly { sequence: number }[]): number {
  return Math.max(0, ...changes.map((c) => c.sequence)) + 1;
}
