import { z } from 'zod';
import { instant, joinText, optionalId, remoteId, text } from '../kit/fields.ts';
import { applicantRecord, type ApplicantRecord, type ApplicationRecord, type JobRecord } from '../kit/records.ts';
import { malformed, parseAs, type Where } from '../kit/validate.ts';

/**
 * InfoJobs (docs/providers/reference.md §3): the REST API is candidate-side, so an account holds the signed-in
 * candidate (one applicant) and their applications; each application's offer becomes a job.
 * Dates look like `2011-05-31T09:09:20.000+0000` (offset without a colon).
 */

const Event = z.looseObject({ date: text, description: text }).nullable().optional();

const Application = z.looseObject({
  code: remoteId,
  date: text,
  rejected: z.boolean().optional(),
  offerRemoved: z.boolean().optional(),
  processClosed: z.boolean().optional(),
  lastEvent: Event,
  jobOffer: z.looseObject({ code: remoteId, title: text, company: text, city: text }),
});

const ApplicationList = z.looseObject({
  totalFound: z.number().int().nonnegative(),
  applications: z.array(z.unknown()),
});

const Candidate = z.looseObject({
  key: remoteId,
  email: text,
  name: text,
  surname1: text,
  surname2: text,
  fullName: text,
  city: text,
  province: z.union([z.looseObject({ id: optionalId, value: text }), z.string(), z.null()]).optional(),
});

export function readApplicationPage(reply: unknown, where: Where): { total: number; items: unknown[] } {
  const page = parseAs(ApplicationList, reply, where);
  return { total: page.totalFound, items: page.applications };
}

export function mapCandidate(reply: unknown, where: Where): ApplicantRecord {
  const candidate = parseAs(Candidate, reply, where);
  return applicantRecord({
    remoteId: candidate.key,
    remoteVersion: null,
    raw: reply,
    firstName: candidate.name,
    lastName: joinText([candidate.surname1, candidate.surname2]),
    email: candidate.email,
  });
}

export function mapApplications(items: readonly unknown[], candidateKey: string | null, where: Where): { jobs: JobRecord[]; applications: ApplicationRecord[] } {
  const jobs = new Map<string, JobRecord>();
  const applications = items.map((raw, index): ApplicationRecord => {
    const application = parseAs(Application, raw, where, `applications[${index}]`);
    const date = (field: string, value: string | null) => instant(value, where.timeZone, () => malformed(where, `applications[${index}].${field}`, 'is not a date'));
    const offer = application.jobOffer;
    if (!jobs.has(offer.code)) {
      jobs.set(offer.code, {
        remoteId: offer.code,
        remoteVersion: null,
        raw: (raw as { jobOffer?: unknown }).jobOffer ?? null,
        title: offer.title ?? `Offer ${offer.code}`,
        department: offer.company,
        location: offer.city,
        status: application.offerRemoved ? 'removed' : null,
        postedAt: null,
        closesAt: null,
      });
    }
    const status = application.rejected ? 'rejected' : application.processClosed ? 'closed' : (application.lastEvent?.description ?? null);
    return {
      remoteId: application.code,
      remoteVersion: application.lastEvent?.date ?? application.date,
      raw,
      jobRemoteId: offer.code,
      applicantRemoteId: candidateKey,
      jobTitle: offer.title,
      appliedAt: date('date', application.date),
      remoteStatus: status,
      lettersExpected: 0,
      answers: [],
    };
  });
  return { jobs: [...jobs.values()], applications };
}
