// The regional centre's own confidential contact persons, as anyone may see them (reports
// `GET /v1/centre-vcp-introductions`): a name and the introduction they wrote, nothing else.
// The fallback contacts of an organisation without a VCP name them.
// Typed from reports' OpenAPI document (lib/client.ts).
import { answer, client, type ReportsTypes } from "./client";

export type CentreVcpIntroduction = ReportsTypes["schemas"]["CentreVcpIntroduction"];

export const loadCentreVcpIntroductions = () => answer(client("reports").GET("/v1/centre-vcp-introductions"));
