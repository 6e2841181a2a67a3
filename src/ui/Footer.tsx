// The keys of the current screen, from keys.ts, fitted to one line.
import { Text } from "ink";
import { type Action, footerItems, type Screen } from "./keys.ts";
import { cellWidth, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface FooterProps {
  readonly screen: Screen;
  readonly width: number;
  /** Labels that depend on the state, e.g. "resume output" while paused. */
  readonly labels?: Partial<Record<Action, string>>;
}

type Item = { keys: string; label: string };

/** The longest rendering that fits: full keys, then short keys, then dropping items before the last two. */
export function footerText(items: readonly Item[], shortItems: readonly Item[], width: number): Item[] {
  const join = (list: readonly Item[]) => list.map((i) => `${i.keys} ${i.label}`).join(" · ");
  if (cellWidth(join(items)) <= width) return [...items];
  const list = [...shortItems];
  while (cellWidth(join(list)) > width && list.length > 2) list.splice(list.length - 3, 1);
  return list;
}

export function Footer({ screen, width, labels }: FooterProps) {
  const theme = useTheme();
  const all = footerItems(screen, labels);
  const items = footerText(
    all.map((i) => ({ keys: i.keys, label: i.label })),
    all.map((i) => ({ keys: i.short, label: i.label })),
    width,
  );
  let used = 0;
  return (
    <Text wrap="truncate">
      {items.map((item, i) => {
        const sep = i > 0 ? " · " : "";
        const text = `${sep}${item.keys} ${item.label}`;
        used += cellWidth(text);
        if (used > width) return null;
        return (
          <Text key={item.keys}>
            <Text color={theme.muted}>{sep}</Text>
            <Text bold color={theme.accent}>{item.keys}</Text>
            <Text color={theme.muted}>{` ${fitLine(item.label, width)}`}</Text>
          </Text>
        );
      })}
    </Text>
  );
}
