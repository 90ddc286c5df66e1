// The coordinator's workspace: what its components share (the pipeline's sortable columns,
// how a failed request reads).
import type { VolunteerRow } from "./admission";
import { ApiError, NetworkError } from "./api";

export type PipelineColumn = "name" | "role" | "stage" | "applied";
export const PIPELINE_COLUMNS: readonly PipelineColumn[] = ["name", "role", "stage", "applied"];

// The stages in the order a volunteer goes through them, so "stage" sorts as the pipeline.
const STAGE_ORDER = ["applied", "interviewed", "signed", "vog", "admitted", "rejected"];

/** What a pipeline row is sorted by in `column`. */
export function pipelineValue(row: VolunteerRow, column: PipelineColumn): string | number | null {
  switch (column) {
    case "name":
      return row.name;
    case "role":
      return row.role_title ?? row.role_id;
    case "stage": {
      const at = STAGE_ORDER.indexOf(row.stage);
      return at === -1 ? STAGE_ORDER.length : at;
    }
    case "applied":
      return row.applied_at;
  }
}

/** A request's failure as one sentence: the service's own for a refusal, `unreachable`
 * when it could not be asked; anything else is a bug and is thrown on. */
export function failureText(error: unknown, unreachable: string): string {
  if (error instanceof ApiError && error.status < 500) return error.detail;
  if (error instanceof NetworkError || error instanceof ApiError) return unreachable;
  throw error;
}
