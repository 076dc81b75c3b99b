import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { idNumberProblem, officeDate, peopleInPayload, PersonOnFile, RequestType } from '@bianzhi/domain';
import { PeopleRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { IdVault } from './id-vault';

type Json = Record<string, unknown>;

/**
 * The payload of a people request (实名制) as it is kept (docs/domain.md, "People on the establishment"): each ID
 * number checked (400 naming the field), sealed apart and replaced by its keyed hash and masked form, so that no
 * request, audit record or workflow history holds it; each person named by id completed with where they are on
 * record now (`person`), which the rules compare at the decision and at implementation. Other types pass as they are.
 */
@Injectable()
export class PeoplePayloads {
  private readonly utcOffsetHours: number;

  constructor(
    private readonly vault: IdVault,
    private readonly people: PeopleRepository,
    config: ConfigService,
  ) {
    this.utcOffsetHours = Number(config.get('OFFICE_UTC_OFFSET') ?? 8);
  }

  /** `keep`: the sealed numbers are stored (a request filed or revised), or not (a preview). */
  async seal(type: RequestType, payload: Json, keep: boolean): Promise<Json> {
    const people = peopleInPayload(type);
    if (people === 'NEW_PEOPLE') return this.sealEnrolment(payload, keep);
    if (people === 'PEOPLE_ON_RECORD') return this.withPeopleOnFile(payload);
    return payload;
  }

  private async sealEnrolment(payload: Json, keep: boolean): Promise<Json> {
    const lines = Array.isArray(payload.lines) ? (payload.lines as Json[]) : null;
    const at = (i: number) => (lines ? `payload.lines[${i}].person.idNumber` : 'payload.person.idNumber');
    const today = officeDate(Date.now(), this.utcOffsetHours);
    const people = (lines ?? [payload]).map((l) => l.person as { name: string; idNumber: string });
    const problems = people.flatMap((p, i) => {
      const problem = idNumberProblem(p.idNumber, today);
      return problem ? [{ field: at(i), problem: `${problem} (INVALID_ID_NUMBER)` }] : [];
    });
    if (problems.length) throw ApiError.validation(problems);
    const sealed = people.map((p) => ({
      name: p.name,
      idHash: this.vault.hash(p.idNumber),
      idNumberMasked: this.vault.mask(p.idNumber),
      idNumberSealed: this.vault.seal(p.idNumber),
    }));
    if (keep) await this.people.keepIdentities(sealed);
    const identity = (i: number) => ({
      name: sealed[i].name,
      idHash: sealed[i].idHash,
      idNumberMasked: sealed[i].idNumberMasked,
    });
    return lines
      ? { ...payload, lines: lines.map((l, i) => ({ ...l, person: identity(i) })) }
      : { ...payload, person: identity(0) };
  }

  private async withPeopleOnFile(payload: Json): Promise<Json> {
    const lines = Array.isArray(payload.lines) ? (payload.lines as Json[]) : null;
    const ids = (lines ?? [payload]).map((l) => String(l.personId));
    const found = await this.people.statesFor({ ids, idHashes: [] });
    const onFile = (l: Json): Json => {
      const { person: _ignored, ...rest } = l; // never taken from the client
      const p = found[String(l.personId)];
      if (!p || p.status !== 'on' || !p.unitId || !p.category) return rest;
      const person: PersonOnFile = {
        name: p.name,
        idNumberMasked: p.idNumberMasked,
        unitId: p.unitId,
        category: p.category,
      };
      return { ...rest, person };
    };
    return lines ? { ...payload, lines: lines.map(onFile) } : onFile(payload);
  }
}
