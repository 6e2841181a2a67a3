// Where a learner goes after a lesson: the exercises that go with it, and the
// next lesson in the menu's order. Every view offers the same. Pure.
import { compareLessons, type Lesson } from "../lessons/schema.ts";

export interface NextSteps {
  readonly exercises: readonly { readonly id: string; readonly title: string }[];
  readonly lesson: { readonly id: string; readonly title: string } | null;
}

export function nextSteps(lesson: Lesson, lessons: readonly Lesson[]): NextSteps {
  const ordered = [...lessons].sort(compareLessons);
  const after = ordered[ordered.findIndex((l) => l.id === lesson.id) + 1];
  return {
    exercises: lesson.exercises.map((e) => ({ id: e.id, title: e.title })),
    lesson: after === undefined || !ordered.some((l) => l.id === lesson.id)
      ? null
      : { id: after.id, title: after.title },
  };
}
