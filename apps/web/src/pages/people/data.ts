import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiProblem, api, idempotency, unwrap } from '../../api/client';
import type { MonthlyReport, PersonDetail, PersonView, ReconcileResult } from './model';

// 实名制's data from the API (docs/api.md "People"): the people a caller sees, a person with their history, the
// monthly report, the reconciliation of a roster and the admin's import.

export interface PeopleQuery {
  unitId?: string;
  status?: 'on' | 'off';
  q?: string;
  page: number;
  pageSize: number;
}

export interface PeoplePage {
  items: PersonView[];
  total: number;
  page: number;
  pageSize: number;
}

/** A page of the people the caller sees (a clerk: its unit's and those under it; the office: the county's). */
export function usePeople(query: PeopleQuery) {
  return useQuery({
    queryKey: ['people', 'list', query],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap<PeoplePage>(
        api.GET('/v1/people', {
          params: {
            query: {
              page: query.page,
              pageSize: query.pageSize,
              ...(query.unitId ? { unitId: query.unitId } : {}),
              ...(query.status ? { status: query.status } : {}),
              ...(query.q ? { q: query.q } : {}),
            },
          },
        }),
      ),
  });
}

/** The API answers at most 200 a page. */
const ALL_PAGE = 200;

/**
 * Every person on of one unit (not those under it), for 实名 per category: the list filters by unit and status but
 * not by category, so the unit's people are read whole (a unit has tens, a school a few hundred).
 */
export function useUnitPeopleOn(unitId?: string) {
  return useQuery({
    queryKey: ['people', 'unit-on', unitId],
    enabled: !!unitId,
    staleTime: 30_000,
    queryFn: async () => {
      const all: PersonView[] = [];
      for (let page = 1; page <= 500; page++) {
        const res = await unwrap<PeoplePage>(
          api.GET('/v1/people', { params: { query: { unitId, status: 'on', page, pageSize: ALL_PAGE } } }),
        );
        all.push(...res.items);
        if (all.length >= res.total || res.items.length === 0) break;
      }
      return all;
    },
  });
}

/** A person with every move (oldest first), each with its request and document number. */
export function usePerson(id?: string) {
  return useQuery({
    queryKey: ['people', 'one', id],
    enabled: !!id,
    retry: (n, e) => !(e instanceof ApiProblem && e.status < 500) && n < 1,
    queryFn: () => unwrap<PersonDetail>(api.GET('/v1/people/{id}', { params: { path: { id: id! } } })),
  });
}

/** 月报 of a month (YYYY-MM): the month's moves and the seed-004 table at its end (or now). */
export function useMonthly(month: string) {
  return useQuery({
    queryKey: ['people', 'monthly', month],
    placeholderData: keepPreviousData,
    queryFn: () => unwrap<MonthlyReport>(api.GET('/v1/statistics/monthly', { params: { query: { month } } })),
  });
}

/** 核查: a roster (CSV name,idNumber,unit) against the people on, the county's or one unit's (and those under it). */
export function reconcile(csv: string, unitId?: string, key?: string): Promise<ReconcileResult> {
  return unwrap<ReconcileResult>(
    api.POST('/v1/people/reconcile', {
      params: { query: unitId ? { unitId } : {}, header: key ? idempotency(key) : {} },
      body: csv,
      bodySerializer: (b: string) => b,
      headers: { 'Content-Type': 'text/csv; charset=utf-8' },
    }),
  );
}

export interface PeopleImportResult {
  imported: number;
  checked: number;
  dryRun: boolean;
}

/** The admin's import of people on now: checked whole (`dryRun`), then written as one audited action. */
export function importPeople(
  file: { text: string; format: 'csv' | 'json' },
  dryRun: boolean,
  key?: string,
): Promise<PeopleImportResult> {
  return unwrap<PeopleImportResult>(
    api.POST('/v1/people/import', {
      params: { query: dryRun ? { dryRun: 'true' } : {}, header: key ? idempotency(key) : {} },
      body: file.text,
      bodySerializer: (b: unknown) => String(b),
      headers: { 'Content-Type': file.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json' },
    }),
  );
}
