import type { Absence, Delegation, PlanStore } from '../store.ts';
import { copy } from './shared.ts';

/** Absences and delegations, in memory. */
export class MemoryPlans implements PlanStore {
  private readonly absences = new Map<string, Absence[]>();
  private readonly delegations: Delegation[] = [];

  async recordAbsence(absence: Absence): Promise<void> {
    const list = this.absences.get(absence.teamId) ?? [];
    if (list.some((a) => a.person === absence.person && a.from === absence.from && a.to === absence.to)) return;
    list.push(copy(absence));
    this.absences.set(absence.teamId, list);
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    return (this.absences.get(teamId) ?? []).map(copy);
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    const d = delegation;
    if (this.delegations.some((x) => x.teamId === d.teamId && x.week === d.week && x.sectionId === d.sectionId && x.person === d.person)) return;
    this.delegations.push(copy(d));
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    return this.delegations.filter((d) => d.teamId === teamId && d.week === week).map(copy);
  }
}
