import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import { CATEGORY_LABELS } from './domain/labels';

export interface Unit {
  id: string;
  name: string;
  kind: string;
  grade: string;
  status: string;
  parentId?: string | null;
  quotas: Record<string, number>;
  occupied: Record<string, number>;
  vacant?: Record<string, number>;
  actualVacant?: Record<string, number>;
  leadershipPosts?: { grade: string; principal: number; deputy: number }[];
  sections?: string[];
}

/** Every unit of the county (a county has a few hundred): for the pickers and for naming units in sentences. */
export function useUnits() {
  const q = useQuery({
    queryKey: ['units'],
    staleTime: 60_000,
    queryFn: async () => {
      const all: Unit[] = [];
      for (let page = 1; page < 50; page++) {
        const res = await unwrap<{ items: Unit[]; total: number }>(
          api.GET('/v1/units', { params: { query: { page, pageSize: 200 } as never } }),
        );
        all.push(...res.items);
        if (all.length >= res.total || res.items.length === 0) break;
      }
      return all;
    },
  });
  const byId = new Map((q.data ?? []).map((u) => [u.id, u]));
  return {
    units: q.data ?? [],
    byId,
    name: (id?: string) => (id ? (byId.get(id)?.name ?? '该单位') : '该单位'),
  };
}

export const categoryName = (c?: string) => (c && c in CATEGORY_LABELS ? CATEGORY_LABELS[c as 'ADMIN'] : '编制');
