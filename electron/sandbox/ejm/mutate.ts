import { addSeconds } from '../people.ts';
import { Random } from '../random.ts';
import { addApplicant, addApplication, builderFor, letterSize, scheduleInterview, type Applicant, type Dataset } from './dataset.ts';

/**
 * Changes between two syncs, as EconJobMarket would show them: new applicants and applications,
 * records whose `changedate`/`updated_at` moved on, withdrawn applications and applicants (absent
 * from every list afterwards) and replaced documents (new blobid, new bytes, new sha1_hash).
 */

export interface MutationSummary {
  readonly added: { applicants: number[]; applications: number[]; files: number[]; letters: number[] };
  readonly changed: { applicants: number[]; applications: number[]; files: number[]; letters: number[] };
  readonly deleted: { applicants: number[]; applications: number[]; files: number[]; letters: number[] };
  readonly replaced: { files: number[]; letters: number[] };
}

type Operation = 'addApplicant' | 'addApplication' | 'changeApplicant' | 'changeApplication' | 'changeLetter' | 'deleteApplication' | 'replaceFile' | 'replaceLetter';

const operations: readonly [Operation, number][] = [
  ['addApplicant', 18],
  ['addApplication', 8],
  ['changeApplicant', 14],
  ['changeApplication', 14],
  ['changeLetter', 10],
  ['deleteApplication', 12],
  ['replaceFile', 16],
  ['replaceLetter', 8],
];

function pickOperation(random: Random): Operation {
  let roll = random.next() * operations.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [operation, weight] of operations) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return 'changeApplicant';
}

function emptySummary(): MutationSummary {
  const lists = () => ({ applicants: [], applications: [], files: [], letters: [] });
  return { added: lists(), changed: lists(), deleted: lists(), replaced: { files: [], letters: [] } };
}

/** Bumps the applicant's changedate and that of each of their applications (they move together in EJM). */
function touchApplicant(data: Dataset, applicant: Applicant, when: Date, summary: MutationSummary): void {
  applicant.changeDate = when;
  summary.changed.applicants.push(applicant.aid);
  for (const application of data.applications.values()) {
    if (application.aid !== applicant.aid) continue;
    application.changeDate = when;
    summary.changed.applications.push(application.appid);
  }
}

function deleteApplicant(data: Dataset, applicant: Applicant, summary: MutationSummary): void {
  data.applicants.delete(applicant.aid);
  summary.deleted.applicants.push(applicant.aid);
  for (const application of [...data.applications.values()]) {
    if (application.aid !== applicant.aid) continue;
    data.applications.delete(application.appid);
    summary.deleted.applications.push(application.appid);
  }
  for (const fileId of applicant.fileIds) if (data.files.delete(fileId)) summary.deleted.files.push(fileId);
  for (const letterid of applicant.letterIds) if (data.letters.delete(letterid)) summary.deleted.letters.push(letterid);
  removeSlots(data, (slot) => slot.aid === applicant.aid);
}

function removeSlots(data: Dataset, doomed: (slot: Dataset['slots'][number]) => boolean): void {
  const kept = data.slots.filter((slot) => !doomed(slot));
  data.slots.splice(0, data.slots.length, ...kept);
}

/** Applies `count` deterministic changes; the same seed on the same dataset gives the same changes. */
export function mutate(data: Dataset, count: number, seed: number): MutationSummary {
  const random = new Random(seed ^ 0x5eed);
  const summary = emptySummary();
  const builder = builderFor(data);
  data.clock = addSeconds(data.clock, 3600);
  for (let index = 0; index < count; index += 1) {
    const when = addSeconds(data.clock, index);
    const applicants = [...data.applicants.values()];
    const applications = [...data.applications.values()];
    const operation = pickOperation(random);
    if (operation === 'addApplicant' || applicants.length === 0) {
      const applicant = addApplicant(builder, random, random.int(4, 5), random.int(3, 4), when);
      const application = addApplication(builder, random, applicant, random.pick([...data.positions.keys()]), when);
      if (random.chance(0.3)) scheduleInterview(data, random, application);
      summary.added.applicants.push(applicant.aid);
      summary.added.applications.push(application.appid);
      summary.added.files.push(...applicant.fileIds);
      summary.added.letters.push(...applicant.letterIds);
      continue;
    }
    const applicant = random.pick(applicants);
    switch (operation) {
      case 'addApplication': {
        const applied = new Set(applications.filter((application) => application.aid === applicant.aid).map((application) => application.posid));
        const open = [...data.positions.keys()].filter((posid) => !applied.has(posid));
        if (open.length === 0) break;
        summary.added.applications.push(addApplication(builder, random, applicant, random.pick(open), when).appid);
        break;
      }
      case 'changeApplicant':
        touchApplicant(data, applicant, when, summary);
        break;
      case 'changeApplication': {
        const application = random.pick(applications);
        application.changeDate = when;
        summary.changed.applications.push(application.appid);
        break;
      }
      case 'changeLetter': {
        const letter = data.letters.get(random.pick(applicant.letterIds));
        if (!letter) break;
        // A pending letter that changes is one the writer has now uploaded.
        if (!letter.blobid) letter.blobid = data.next.blobid++;
        letter.updatedAt = when;
        summary.changed.letters.push(letter.letterid);
        break;
      }
      case 'deleteApplication': {
        const own = applications.filter((application) => application.aid === applicant.aid);
        const application = own[0];
        // Withdrawing the only application withdraws the applicant from the organisation's lists.
        if (own.length <= 1 || !application) {
          deleteApplicant(data, applicant, summary);
          break;
        }
        data.applications.delete(application.appid);
        removeSlots(data, (slot) => slot.appid === application.appid);
        summary.deleted.applications.push(application.appid);
        break;
      }
      case 'replaceFile': {
        const file = applicant.fileIds.map((id) => data.files.get(id)).find((candidate) => candidate?.blobid != null);
        if (!file) break;
        file.blobid = data.next.blobid++;
        file.docSeed = random.int(1, 2 ** 31 - 1);
        file.filesize = Math.max(16 * 1024, Math.round((file.filesize ?? 0) * (0.8 + random.next() * 0.4)));
        file.updatedAt = when;
        summary.replaced.files.push(file.fileId);
        touchApplicant(data, applicant, when, summary);
        break;
      }
      case 'replaceLetter': {
        const letter = data.letters.get(random.pick(applicant.letterIds));
        if (!letter) break;
        letter.blobid = data.next.blobid++;
        letter.docSeed = random.int(1, 2 ** 31 - 1);
        letter.filesize = letterSize(random);
        letter.updatedAt = when;
        summary.replaced.letters.push(letter.letterid);
        break;
      }
    }
  }
  data.version += 1;
  return summary;
}
