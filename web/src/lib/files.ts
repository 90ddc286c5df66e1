// Files the platform makes (the board's workbook, the starter documents as Word and PDF):
// fetched with the person's access token and saved from memory, like download.ts's texts.
import { ApiError, detailOf, NetworkError, type Service } from "./api";
import { saveBlob } from "./download";
import { accessToken } from "./session";

export async function downloadFile(service: Service, path: string, name: string): Promise<void> {
  const token = await accessToken();
  let response: Response;
  try {
    response = await fetch(`/api/${service}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: "same-origin",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = JSON.parse(await response.text());
    } catch {
      // Not JSON: the status alone says what went wrong.
    }
    throw new ApiError(response.status, detailOf(body, response.status));
  }
  saveBlob(name, await response.blob());
}
