import { EntityManager } from 'typeorm';

// The county's request figures for the console's charts (docs/api.md "Statistics"): how many requests stand in
// each status, and per month how many were filed, implemented, rejected and withdrawn. Counted in SQL, so the
// figures stay cheap with a hundred thousand requests.

export interface RequestMonth {
  month: string; // YYYY-MM, in the office's time zone
  created: number;
  implemented: number;
  rejected: number;
  withdrawn: number;
}

export class StatisticsRepository {
  constructor(private readonly em: EntityManager) {}

  async requestsByStatus(): Promise<{ status: string; count: number }[]> {
    const rows: { status: string; n: string }[] = await this.em.query(
      'SELECT status, count(*) AS n FROM change_requests GROUP BY status ORDER BY status',
    );
    return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
  }

  /** The last `months` months up to the one of `now`, each counted by when it happened, `utcOffsetHours` east. */
  async requestsByMonth(now: Date, months: number, utcOffsetHours: number): Promise<RequestMonth[]> {
    const rows: { month: string; created: string; implemented: string; rejected: string; withdrawn: string }[] =
      await this.em.query(
        `WITH this AS (
           SELECT date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC' + make_interval(hours => $3::int)) AS m),
         months AS (
           SELECT to_char(g.start, 'YYYY-MM') AS month
           FROM this,
             generate_series(this.m - make_interval(months => $2::int - 1), this.m, interval '1 month') AS g(start)),
         events AS (
           SELECT created_at AS at, 1 AS c, 0 AS i, 0 AS r, 0 AS w FROM change_requests
           UNION ALL SELECT applied_at, 0, 1, 0, 0 FROM implementations
           UNION ALL SELECT updated_at, 0, 0, 1, 0 FROM change_requests WHERE status = 'rejected'
           UNION ALL SELECT updated_at, 0, 0, 0, 1 FROM change_requests WHERE status = 'withdrawn'),
         counted AS (
           SELECT to_char(at AT TIME ZONE 'UTC' + make_interval(hours => $3::int), 'YYYY-MM') AS month,
                  sum(c) AS created, sum(i) AS implemented, sum(r) AS rejected, sum(w) AS withdrawn
           FROM events GROUP BY 1)
         SELECT m.month, coalesce(c.created, 0) AS created, coalesce(c.implemented, 0) AS implemented,
                coalesce(c.rejected, 0) AS rejected, coalesce(c.withdrawn, 0) AS withdrawn
         FROM months m LEFT JOIN counted c ON c.month = m.month ORDER BY m.month`,
        [now.toISOString(), months, utcOffsetHours],
      );
    return rows.map((r) => ({
      month: r.month,
      created: Number(r.created),
      implemented: Number(r.implemented),
      rejected: Number(r.rejected),
      withdrawn: Number(r.withdrawn),
    }));
  }
}
