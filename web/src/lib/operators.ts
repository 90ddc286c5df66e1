// The platform's operators (identity's /v1/operators; docs/api.md "Operators"): listed,
// added and removed by an operator. Typed from identity's OpenAPI document (lib/client.ts).
import { answer, client, type IdentityTypes } from "./client";
import { accessToken } from "./session";

/** `seed`: named in SAFEHANDS_OPERATOR_EMAILS (and not removed since). */
export type Operator = IdentityTypes["schemas"]["Operator"];

const identity = client("identity", accessToken);

export const loadOperators = () => answer(identity.GET("/v1/operators"));

export const addOperator = (email: string) => answer(identity.POST("/v1/operators", { body: { email } }));

export const removeOperator = (id: string) =>
  answer(identity.DELETE("/v1/operators/{operator_id}", { params: { path: { operator_id: id } } }));
