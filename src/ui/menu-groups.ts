// The menu's lessons grouped by part (a lesson file's `part:`, e.g. "The
// tutorial", "Beyond the tutorial"): the parts in the order of each one's
// first lesson, lessons without a part last. Pure.

interface Parted {
  readonly part: string | null;
}

export interface MenuGroup<L extends Parted> {
  /** null: the lessons without a part (no heading). */
  readonly part: string | null;
  readonly lessons: readonly L[];
}

/** `lessons` in menu order (load.ts sorts them) -> its groups. */
export function menuGroups<L extends Parted>(lessons: readonly L[]): MenuGroup<L>[] {
  const byPart = new Map<string, L[]>();
  const loose: L[] = [];
  for (const lesson of lessons) {
    if (lesson.part === null) {
      loose.push(lesson);
      continue;
    }
    const group = byPart.get(lesson.part);
    if (group) group.push(lesson);
    else byPart.set(lesson.part, [lesson]);
  }
  const groups: MenuGroup<L>[] = [...byPart].map(([part, members]) => ({ part, lessons: members }));
  return loose.length > 0 ? [...groups, { part: null, lessons: loose }] : groups;
}

/** The lessons in the order the menu lists them (and j/k moves through them). */
export function menuOrder<L extends Parted>(lessons: readonly L[]): L[] {
  return menuGroups(lessons).flatMap((g) => [...g.lessons]);
}
