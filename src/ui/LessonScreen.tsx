// Connects a running lesson or a replay (its batched store) to the player.
import { LessonPlayer, type LessonPlayerProps } from "./LessonPlayer.tsx";
import type { RunSource } from "./run-source.ts";
import { safeSnapshot } from "./safe-view.ts";
import { useStore } from "./store.ts";

export interface LessonScreenProps
  extends Omit<LessonPlayerProps, "live" | "onPause" | "onRestart" | "onPassed" | "onToggleHolds"> {
  readonly lesson: RunSource;
}

export function LessonScreen({ lesson, ...rest }: LessonScreenProps) {
  // Where a run's output and the lesson's text enter the view: sanitised here, once.
  const live = safeSnapshot(useStore(lesson.store));
  return (
    <LessonPlayer
      {...rest}
      live={live}
      onPause={(paused) => lesson.setPaused(paused)}
      onRestart={() => void lesson.restart()}
      onPassed={(index) => lesson.passed(index)}
      onToggleHolds={() => lesson.toggleHolds()}
    />
  );
}
