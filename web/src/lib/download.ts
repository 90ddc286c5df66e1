// A text file saved from memory: a Blob and an object URL, since the Content-Security-Policy
// allows no data: URLs. The URL is revoked once the browser has taken the file.

export function saveTextFile(
  name: string,
  text: string,
  type = "text/plain;charset=utf-8",
): void {
  saveBlob(name, new Blob([text], { type }));
}

export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
