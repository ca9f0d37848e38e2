/**
 * Quoting helpers for the templates. Templates use `<%-` (no HTML escaping) and pass every value through one of
 * these, so what a value may contain is decided here and nowhere else.
 */

// LookML has no escape for a line break inside a quoted string that every Looker version reads the same way, and a
// line break in a comment would end the comment, so free text is flattened to one line.
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
// Other control characters have no business in a label and some editors render them invisibly.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Free text on one line: line breaks become spaces, other control characters are dropped. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '');
}

/**
 * A LookML quoted string: backslash and double quote escaped, line breaks flattened to spaces. Whatever the text
 * holds (`;;`, braces, `${`, `#`), the parser reads it back as one string value.
 */
export function lookmlString(text: string): string {
  return `"${oneLine(text).replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Text for a `#` comment: one line, so it cannot end the comment and start LookML. */
export function lookmlComment(text: string): string {
  return `# ${oneLine(text)}`;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
export function yamlString(text: string): string {
  return JSON.stringify(oneLine(text));
}

/** A YAML flow sequence of double-quoted scalars. */
export function yamlList(items: readonly string[]): string {
  return `[${items.map(yamlString).join(', ')}]`;
}
