// The code of conduct is written in Markdown and read as a document. markdown-it turns the
// source into HTML with raw HTML off (`<script>` in the text stays text); DOMPurify then
// cleans what markdown-it made, as a second line should a rule of markdown-it ever let
// something through. The hash a volunteer signs stays the hash of the source text.
import DOMPurify from "dompurify";
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Images would load from other sites, which the Content-Security-Policy forbids (and which
// would tell those sites who reads the code): an image's description stays as text.
markdown.disable("image");
// The page has its own <h1>: a document's title becomes an <h2>, the rest keeps its level.
for (const rule of ["heading_open", "heading_close"] as const) {
  markdown.renderer.rules[rule] = (tokens, index, options, _env, self) => {
    const token = tokens[index];
    if (token?.tag === "h1") token.tag = "h2";
    return self.renderToken(tokens, index, options);
  };
}
// Links open as ordinary links, without telling the other site where the reader came from.
markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]?.attrSet("rel", "noopener noreferrer");
  return self.renderToken(tokens, index, options);
};

/** The HTML markdown-it makes of `source`, before cleaning (for tests without a DOM). */
export function markdownToHtml(source: string): string {
  return markdown.render(source);
}

/** `source` as clean HTML to show: no script, no event handler, no style, no image. */
export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(markdownToHtml(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["img", "style", "form", "input", "button"],
    // The Content-Security-Policy allows no inline style.
    FORBID_ATTR: ["style"],
  });
}
