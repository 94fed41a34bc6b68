import type { Absence, Delegation, PlanStore } from '../store.ts';
import type { StoreModels } from './schemas.ts';
import { isDuplicateKey } from './shared.ts';

/** Absences and delegations: the same one again (a repeated command) is refused by its unique key and kept once. */
export class MongoPlans implements PlanStore {
  constructor(private readonly models: Pick<StoreModels, 'absences' | 'delegations'>) {}

  async recordAbsence(absence: Absence): Promise<void> {
    try {
      await this.models.absences.create(absence);
    } catch (error) {
      // The same person and range again (a repeated command): kept once.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    const docs = await this.models.absences.find({ teamId }).sort({ at: 1 }).lean<Absence[]>();
    return docs.map((d) => ({ teamId: d.teamId, person: d.person, from: d.from, to: d.to, setBy: d.setBy, at: d.at }));
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    try {
      await this.models.delegations.create(delegation);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    const docs = await this.models.delegations.find({ teamId, week }).sort({ at: 1 }).lean<Delegation[]>();
    return docs.map((d) => ({ teamId: d.teamId, week: d.week, sectionId: d.sectionId, person: d.person, setBy: d.setBy, at: d.at }));
  }
}
