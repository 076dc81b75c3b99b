import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

// The registry's data from the API (docs/api.md "Registry"): every unit, now or as it stood at a moment; one unit
// at a moment; a unit's versions.

export type UnitView = components['schemas']['UnitView'];
export type UnitAsOfView = components['schemas']['UnitAsOfView'];
export type UnitHistoryEntry = components['schemas']['UnitHistoryEntry'];

/** How the list is read, apart so that the tests can stand in for the API. */
export interface RegistrySource {
  page(page: number, pageSize: number, asOf?: string): Promise<{ items: UnitView[]; total: number }>;
}

export const httpSource: RegistrySource = {
  page: (page, pageSize, asOf) =>
    unwrap(api.GET('/v1/units', { params: { query: { page, pageSize, ...(asOf ? { asOf } : {}) } } })),
};

/** The API answers at most 500 a page; 200 keeps each answer small. A county has a few hundred units. */
export const PAGE_SIZE = 200;

/** Every unit of the county (any status), now or as it stood at `asOf` (the list takes `asOf` itself). */
export async function allUnits(src: RegistrySource, asOf?: string): Promise<UnitView[]> {
  const all: UnitView[] = [];
  for (let page = 1; ; page++) {
    const res = await src.page(page, PAGE_SIZE, asOf);
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) return all;
  }
}

/** Every unit, now or at `asOf` (an ISO timestamp). */
export function useRegistry(asOf?: string) {
  return useQuery({
    queryKey: ['registry', asOf ?? 'now'],
    staleTime: 60_000,
    queryFn: () => allUnits(httpSource, asOf),
  });
}

/** One unit, now or at `asOf`; with `asOf`, the API names the version then in force (`version`). */
export function useUnit(id: string | null | undefined, asOf?: string) {
  return useQuery({
    queryKey: ['unit', id, asOf ?? 'now'],
    enabled: !!id,
    retry: (n, e) => !(e instanceof ApiProblem && e.status < 500) && n < 1,
    queryFn: () =>
      unwrap<UnitAsOfView>(api.GET('/v1/units/{id}', { params: { path: { id: id! }, query: asOf ? { asOf } : {} } })),
  });
}

/** Every version of a unit, oldest first, each with its cause, request and document number. */
export function useUnitHistory(id: string | undefined) {
  return useQuery({
    queryKey: ['unit-history', id],
    enabled: !!id,
    queryFn: () => unwrap<UnitHistoryEntry[]>(api.GET('/v1/units/{id}/history', { params: { path: { id: id! } } })),
  });
}
