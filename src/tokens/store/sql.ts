import type { InvocationMeter } from "./invocation-meter";

/**
 * The one door to D1: every query is counted on the invocation's meter. Bulk writes pass their rows as one JSON
 * parameter (`json_each(?)`), so a write of many rows is one query and never meets D1's 100-parameter limit.
 */
export class Sql {
  constructor(
    private readonly db: D1Database,
    private readonly meter?: InvocationMeter,
  ) {}

  private statement(sql: string, params: unknown[]): D1PreparedStatement {
    if (this.meter) this.meter.d1Queries++;
    return this.db.prepare(sql).bind(...params);
  }

  async all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await this.statement(sql, params).all<T>()).results;
  }

  async first<T>(sql: string, ...params: unknown[]): Promise<T | null> {
    return this.statement(sql, params).first<T>();
  }

  async run(sql: string, ...params: unknown[]): Promise<D1Meta> {
    return (await this.statement(sql, params).run()).meta;
  }
}
