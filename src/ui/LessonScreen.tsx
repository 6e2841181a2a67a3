// Connects a running lesson (its batched store) to the player.
import { LessonPlayer, type LessonPlayerProps } from "./LessonPlayer.tsx";
import type { LiveLesson } from "./live-run.ts";
import { useStore } from "./store.ts";

export interface LessonScreenProps extends Omit<LessonPlayerProps, "live" | "onPause" | "onRestart"> {
  readonly lesson: LiveLesson;
}

export function LessonScreen({ lesson, ...rest }: LessonScreenProps) {
  const live = useStore(lesson.store);
  return (
    <LessonPlayer
      {...rest}
      live={live}
      onPause={(paused) => lesson.setPaused(paused)}
      onRestart={() => void lesson.restart()}
    />
  );
}
