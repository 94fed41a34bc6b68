import type { Absence, AbsenceCancellation, Delegation, DelegationCancellation, PlanStore } from '../store.ts';
import {
  absenceInForce,
  absencesInForce,
  delegationInForce,
  delegationsInForce,
  nextSequence,
  PLAN_CHANGE_ATTEMPTS,
  type AbsenceChange,
  type DelegationChange,
} from '../plan-records.ts';
import type { StoreModels } from './schemas.ts';
import { isDuplicateKey } from './shared.ts';

type AbsenceKey = { teamId: string; person: string; from: string; to: string };
type SectionWeek = { teamId: string; week: string; sectionId: string };

/**
 * Absences and delegations. An absence is recorded once (its unique key refuses the same one
 * again); a cancellation, or recording it again after one, is the next change in its sequence.
 * A delegation is a change of its section's week (handed over, or cancelled), the next in that
 * section's sequence; `delegations` holds the ones recorded before delegations had changes, read
 * as the first of each section's.
 */
export class MongoPlans implements PlanStore {
  constructor(private readonly models: Pick<StoreModels, 'absences' | 'delegations' | 'absenceChanges' | 'delegationChanges'>) {}

  async recordAbsence(absence: Absence): Promise<void> {
    try {
      await this.models.absences.create(absence);
      return;
    } catch (error) {
      // The same person and range again (a repeated command): kept once.
      if (!isDuplicateKey(error)) throw error;
    }
    // Recorded before: in force again if it was cancelled.
    await this.changeAbsence(absence, (inForce) => (inForce ? null : { cancelled: false, setBy: absence.setBy, at: absence.at }));
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    const [docs, changes] = await Promise.all([
      this.models.absences.find({ teamId }).sort({ at: 1 }).lean<Absence[]>(),
      this.models.absenceChanges.find({ teamId }).lean<AbsenceChange[]>(),
    ]);
    return absencesInForce(docs.map(absenceOf), changes.map(absenceChangeOf));
  }

  async cancelAbsence(cancellation: AbsenceCancellation): Promise<boolean> {
    return this.changeAbsence(cancellation, (inForce) => (inForce ? { cancelled: true, setBy: cancellation.setBy, at: cancellation.at } : null));
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    // Handed to that person already (a repeated command): kept once.
    await this.changeDelegation(delegation, (inForce) =>
      inForce?.person === delegation.person ? null : { person: delegation.person, setBy: delegation.setBy, at: delegation.at },
    );
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    const [docs, changes] = await Promise.all([
      this.models.delegations.find({ teamId, week }).sort({ at: 1 }).lean<Delegation[]>(),
      this.models.delegationChanges.find({ teamId, week }).sort({ sectionId: 1, sequence: 1 }).lean<DelegationChange[]>(),
    ]);
    return delegationsInForce(docs.map(delegationOf), changes.map(delegationChangeOf));
  }

  async cancelDelegation(cancellation: DelegationCancellation): Promise<Delegation | null> {
    let cancelled: Delegation | null = null;
    await this.changeDelegation(cancellation, (inForce) => {
      cancelled = inForce;
      return inForce ? { setBy: cancellation.setBy, at: cancellation.at } : null;
    });
    return cancelled;
  }

  /** Inserts the change `decide` makes of the absence as it is now (in force or not), as the next in its sequence; false when it makes none. */
  private async changeAbsence(key: AbsenceKey, decide: (inForce: boolean) => Pick<AbsenceChange, 'cancelled' | 'setBy' | 'at'> | null): Promise<boolean> {
    const { teamId, person, from, to } = key;
    for (let attempt = 0; attempt < PLAN_CHANGE_ATTEMPTS; attempt++) {
      const [recorded, changes] = await Promise.all([
        this.models.absences.exists({ teamId, person, from, to }),
        this.models.absenceChanges.find({ teamId, person, from, to }).sort({ sequence: 1 }).lean<AbsenceChange[]>(),
      ]);
      const change = decide(absenceInForce(recorded !== null, changes));
      if (!change) return false;
      try {
        await this.models.absenceChanges.create({ teamId, person, from, to, sequence: nextSequence(changes), ...change });
        return true;
      } catch (error) {
        // Another replica changed it first: read it again.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`could not change the absence of ${person} from ${from} to ${to}: it kept changing`);
  }

  /** Inserts the change `decide` makes of the section's delegation in force, as the next in its sequence; false when it makes none. */
  private async changeDelegation(
    key: SectionWeek,
    decide: (inForce: Delegation | null) => Pick<DelegationChange, 'person' | 'setBy' | 'at'> | null,
  ): Promise<boolean> {
    const { teamId, week, sectionId } = key;
    for (let attempt = 0; attempt < PLAN_CHANGE_ATTEMPTS; attempt++) {
      const [docs, changes] = await Promise.all([
        this.models.delegations.find({ teamId, week, sectionId }).sort({ at: 1 }).lean<Delegation[]>(),
        this.models.delegationChanges.find({ teamId, week, sectionId }).sort({ sequence: 1 }).lean<DelegationChange[]>(),
      ]);
      const change = decide(delegationInForce(docs.map(delegationOf), changes.map(delegationChangeOf)));
      if (!change) return false;
      try {
        await this.models.delegationChanges.create({ teamId, week, sectionId, sequence: nextSequence(changes), ...change });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`could not change the delegation of ${sectionId} in ${week}: it kept changing`);
  }
}

const absenceOf = (d: Absence): Absence => ({ teamId: d.teamId, person: d.person, from: d.from, to: d.to, setBy: d.setBy, at: d.at });
const absenceChangeOf = (d: AbsenceChange): AbsenceChange => ({
  teamId: d.teamId,
  person: d.person,
  from: d.from,
  to: d.to,
  sequence: d.sequence,
  cancelled: d.cancelled,
  setBy: d.setBy,
  at: d.at,
});
const delegationOf = (d: Delegation): Delegation => ({ teamId: d.teamId, week: d.week, sectionId: d.sectionId, person: d.person, setBy: d.setBy, at: d.at });
const delegationChangeOf = (d: DelegationChange): DelegationChange => ({
  teamId: d.teamId,
  week: d.week,
  sectionId: d.sectionId,
  sequence: d.sequence,
  ...(d.person !== undefined && d.person !== null ? { person: d.person } : {}),
  setBy: d.setBy,
  at: d.at,
});
