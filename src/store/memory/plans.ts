import type { Absence, AbsenceCancellation, Delegation, DelegationCancellation, PlanStore } from '../store.ts';
import {
  absenceInForce,
  absenceKey,
  absencesInForce,
  delegationInForce,
  delegationsInForce,
  nextSequence,
  type AbsenceChange,
  type DelegationChange,
} from '../plan-records.ts';
import { copy } from './shared.ts';

/** Absences and delegations, in memory, with their changes as MongoPlans keeps them (../plan-records.ts). */
export class MemoryPlans implements PlanStore {
  private readonly absences = new Map<string, Absence[]>();
  private readonly absenceChanges: AbsenceChange[] = [];
  private readonly delegationChanges: DelegationChange[] = [];

  async recordAbsence(absence: Absence): Promise<void> {
    const list = this.absences.get(absence.teamId) ?? [];
    this.absences.set(absence.teamId, list);
    if (!list.some((a) => absenceKey(a) === absenceKey(absence))) {
      list.push(copy(absence));
      return;
    }
    // Recorded before: in force again if it was cancelled.
    const changes = this.changesOf(absence);
    if (!absenceInForce(true, changes))
      this.absenceChanges.push(copy({ ...keyOf(absence), sequence: nextSequence(changes), cancelled: false, setBy: absence.setBy, at: absence.at }));
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    return absencesInForce(
      this.absences.get(teamId) ?? [],
      this.absenceChanges.filter((c) => c.teamId === teamId),
    ).map(copy);
  }

  async cancelAbsence(cancellation: AbsenceCancellation): Promise<boolean> {
    const recorded = (this.absences.get(cancellation.teamId) ?? []).some((a) => absenceKey(a) === absenceKey(cancellation));
    const changes = this.changesOf(cancellation);
    if (!absenceInForce(recorded, changes)) return false;
    this.absenceChanges.push(
      copy({ ...keyOf(cancellation), sequence: nextSequence(changes), cancelled: true, setBy: cancellation.setBy, at: cancellation.at }),
    );
    return true;
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    const changes = this.sectionChanges(delegation);
    if (delegationInForce([], changes)?.person === delegation.person) return;
    const { teamId, week, sectionId, person, setBy, at } = delegation;
    this.delegationChanges.push(copy({ teamId, week, sectionId, sequence: nextSequence(changes), person, setBy, at }));
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    return delegationsInForce(
      [],
      this.delegationChanges.filter((d) => d.teamId === teamId && d.week === week),
    ).map(copy);
  }

  async cancelDelegation(cancellation: DelegationCancellation): Promise<Delegation | null> {
    const changes = this.sectionChanges(cancellation);
    const inForce = delegationInForce([], changes);
    if (!inForce) return null;
    const { teamId, week, sectionId, setBy, at } = cancellation;
    this.delegationChanges.push(copy({ teamId, week, sectionId, sequence: nextSequence(changes), setBy, at }));
    return copy(inForce);
  }

  private changesOf(key: { teamId: string; person: string; from: string; to: string }): AbsenceChange[] {
    return this.absenceChanges.filter((c) => c.teamId === key.teamId && absenceKey(c) === absenceKey(key));
  }

  private sectionChanges(key: { teamId: string; week: string; sectionId: string }): DelegationChange[] {
    return this.delegationChanges.filter((c) => c.teamId === key.teamId && c.week === key.week && c.sectionId === key.sectionId);
  }
}

function keyOf(a: { teamId: string; person: string; from: string; to: string }) {
  return { teamId: a.teamId, person: a.person, from: a.from, to: a.to };
}
