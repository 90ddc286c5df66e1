import { describe, expect, it } from "vitest";
import { markdownToHtml } from "./markdown";

describe("markdownToHtml", () => {
  it("formats headings, lists and emphasis, the title one level down", () => {
    const html = markdownToHtml("# Gedragscode\n\n## 2. Respect\n\n- *altijd* vriendelijk\n");
    expect(html).toContain("<h2>Gedragscode</h2>");
    expect(html).toContain("<h2>2. Respect</h2>");
    expect(html).toContain("<ul>\n<li><em>altijd</em> vriendelijk</li>");
    expect(html).not.toContain("##");
  });
  it("keeps raw HTML as text", () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\n<img src="x" onerror="y">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });
  it("shows no image, and links without a referrer", () => {
    expect(markdownToHtml("![logo](https://example.org/x.png)")).not.toContain("<img");
    expect(markdownToHtml("[site](https://example.org)")).toContain(
      '<a href="https://example.org" rel="noopener noreferrer">site</a>',
    );
    expect(markdownToHtml("[x](javascript:alert(1))")).not.toContain("href=\"javascript:");
  });
});
