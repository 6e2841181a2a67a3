// Reading a beat's `show:`: the panes presenter mode shows under the beat's
// narration (docs/teaching.md, "Presenter mode"). Each item is a
// program of the lesson (its lane), `code` (the source of the programs
// shown, the beat's line marked) or `sockets` (the kernel's sockets pane);
// an empty list shows the narration alone. Pure.
import { isScalar, isSeq } from "yaml";
import type { ShowItem } from "./schema.ts";
import { child, type Ctx, deref, type Entry, lineOf, report } from "./yaml-walk.ts";

/** The panes that are not programs. */
export const SHOW_PANES = ["code", "sockets"] as const;

/** `show:` one name or a list of them; null: an error was reported. */
export function readShow(ctx: Ctx, entry: Entry, programs: readonly string[] | null): ShowItem[] | null {
  const items = isSeq(entry.node)
    ? entry.node.items.map((item, i) => ({ node: deref(ctx, item), field: child(entry.field, i) }))
    : [{ node: entry.node, field: entry.field }];
  const known = [...(programs ?? []), ...SHOW_PANES].join(", ");
  // A program named like a pane would make `show: code` mean two things.
  const clash = programs?.find((p) => (SHOW_PANES as readonly string[]).includes(p));
  if (clash !== undefined) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${clash}" is both a program of this lesson and a pane: rename the program to use show:`,
    );
  }
  const shown: ShowItem[] = [];
  let failed = false;
  for (const { node, field } of items) {
    const line = lineOf(ctx, node, entry.line);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== "string") {
      report(ctx, line, field, `must be a program's name, code or sockets (show: ${known})`);
      failed = true;
    } else if ((SHOW_PANES as readonly string[]).includes(value) || programs === null || programs.includes(value)) {
      if (shown.includes(value)) {
        report(ctx, line, field, `"${value}" is listed twice`);
        failed = true;
      } else shown.push(value);
    } else {
      report(ctx, line, field, `"${value}" is not a program of this lesson or a pane (show: ${known})`);
      failed = true;
    }
  }
  return failed ? null : shown;
}
