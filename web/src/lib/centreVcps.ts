// The regional centre's own confidential contact persons, as anyone may see them (reports
// `GET /v1/centre-vcp-introductions`): a name and the introduction they wrote, nothing else.
// The fallback contacts of an organisation without a VCP name them.
import { getJson } from "./api";

export interface CentreVcpIntroduction {
  name: string;
  introduction: string | null;
}

export const loadCentreVcpIntroductions = () =>
  getJson<CentreVcpIntroduction[]>("reports", "/v1/centre-vcp-introductions");
