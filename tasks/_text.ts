// deno-lint-ignore-file no-control-regex -- matching control characters is what this file is for
/**
 * Control characters in what a task reads and prints: flag values may not hold
 * them, and text from the store is escaped before it reaches a terminal, so a
 * reason or an actor can neither forge log lines nor send escape sequences.
 *
 * @module
 */

/** C0 controls (newline, tab and ESC included), DEL and the C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Whether `text` holds a control character (a newline, a tab or ESC included). */
export function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `text` with every control character written as an escape (`\n`, `\t`, `\x1b`),
 * so it prints on one line and cannot drive the terminal. `keepNewlines` leaves
 * line breaks of a multi-line message (a table, a usage text) alone.
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(
    options.keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL_ALL,
    (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
