// The platform's operators (identity's /v1/operators; docs/api.md "Operators"): listed,
// added and removed by an operator.
import { call } from "./workspace";

export interface Operator {
  operator_id: string;
  email: string;
  since: string | null;
  /** Named in SAFEHANDS_OPERATOR_EMAILS (and not removed since). */
  seed: boolean;
}

export const loadOperators = () => call<Operator[]>("identity", "/v1/operators");

export const addOperator = (email: string) =>
  call<{ operator_id: string }>("identity", "/v1/operators", "POST", { email });

export const removeOperator = (id: string) =>
  call<null>("identity", `/v1/operators/${encodeURIComponent(id)}`, "DELETE");
