// Fitting text into a width without cutting words: the TUI wraps and
// shortens text itself, so every line's length is known before Ink sees it
// (no surprise wraps, nothing overflows the frame). Pure.
//
// Widths are string-width's, the measure Ink lays out and draws with: a CJK
// character or an emoji takes two cells, a combining accent none. Text is
// cut only between grapheme clusters (an accent stays on its letter, an
// emoji sequence whole). Text from outside the app reaches these functions
// sanitised (src/text/sanitize.ts): no control characters to measure.
import stringWidth from "string-width";

const segmenter = new Intl.Segmenter();

/**
 * Text made only of these is one cell a character: ASCII, Latin, general
 * punctuation, arrows, box drawing, blocks and shapes, braille, and the
 * app's few other glyphs (✓ ✗ ⏎ ⏸). None combines or joins into something
 * wider (test/unit/ui-text.test.ts checks each against string-width). It
 * spares most text string-width's grapheme segmentation, about 20 µs a call,
 * with hundreds of calls a frame.
 */
export const ONE_CELL_EACH =
  /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u23ce\u23f8\u2500-\u25fc\u2713\u2717\u2800-\u28ff]*$/;

/** Width in terminal cells. */
export function cellWidth(text: string): number {
  return ONE_CELL_EACH.test(text) ? text.length : stringWidth(text);
}

/** The first `width` cells of `text`, never half a wide character or cluster. */
export function takeCells(text: string, width: number): string {
  if (width <= 0) return "";
  if (ONE_CELL_EACH.test(text)) return text.slice(0, width);
  let out = "";
  let n = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (n + w > width) break;
    out += segment;
    n += w;
  }
  return out;
}

/**
 * One line no wider than `width`: cut at the last space that leaves room for
 * an ellipsis, so no word is cut in half. Only a single word longer than the
 * whole width is cut inside (there is no other way to show part of it).
 */
export function fitLine(text: string, width: number): string {
  if (width <= 0) return "";
  if (cellWidth(text) <= width) return text;
  if (width === 1) return "…";
  const room = takeCells(text, width - 1);
  const space = room.search(/\s\S*$/);
  const cut = space > 0 ? room.slice(0, space).trimEnd() : room;
  return `${cut}…`;
}

/** Pads (or fits) to exactly `width` cells. */
export function padCells(text: string, width: number): string {
  const fitted = fitLine(text, width);
  return fitted + " ".repeat(Math.max(0, width - cellWidth(fitted)));
}

/**
 * Word-wraps prose to `width`. Single newlines are reflowed (lesson texts are
 * hard-wrapped at about 80 columns in YAML); a blank line starts a new
 * paragraph, kept as an empty line. Words longer than the width are split,
 * the only case where a word breaks.
 */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const paragraphs = text.trim().split(/\n\s*\n/);
  const lines: string[] = [];
  paragraphs.forEach((paragraph, i) => {
    if (i > 0) lines.push("");
    let line = "";
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (cellWidth(word) > width) {
        if (line) lines.push(line);
        line = "";
        // A cluster wider than the whole width (a CJK character in one column) shows as "…".
        const head = takeCells(word, width) || "…";
        lines.push(head);
        word = head === "…" ? word.slice(firstCluster(word).length) : word.slice(head.length);
      }
      if (!line) line = word;
      else if (cellWidth(line) + 1 + cellWidth(word) <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
  });
  return lines;
}

/** Left and right text on one line of `width`; the left side gives way first. */
export function spread(left: string, right: string, width: number): string {
  const rightFit = fitLine(right, width);
  const room = width - cellWidth(rightFit) - 1;
  if (room < 4) return padCells(left, width);
  const leftFit = fitLine(left, room);
  return leftFit + " ".repeat(width - cellWidth(leftFit) - cellWidth(rightFit)) + rightFit;
}

/**
 * Picks the first of several renderings (longest first) that fits; the last
 * one is fitted if none does. For labels that have a short form.
 */
export function firstFitting(options: readonly string[], width: number): string {
  for (const option of options) if (cellWidth(option) <= width) return option;
  return fitLine(options[options.length - 1] ?? "", width);
}

/** At most `n` wrapped lines; if text was left out, the last shown line says so with an ellipsis. */
export function clampLines(lines: readonly string[], n: number, width: number): string[] {
  if (lines.length <= n) return [...lines];
  if (n <= 0) return [];
  const kept = lines.slice(0, n);
  kept[n - 1] = fitLine(`${kept[n - 1]} ${lines[n]}`, width);
  return kept;
}

function firstCluster(text: string): string {
  for (const { segment } of segmenter.segment(text)) return segment;
  return "";
}
