// --plain on a terminal: a beat's question asked on stdin, one line typed.
// Piped or redirected, nothing is asked (the lesson tells on unasked).
import { createInterface } from "node:readline/promises";
import { parseAnswer } from "../session/answer.ts";
import type { QuestionView } from "../session/beats.ts";
import type { Asker } from "./plain.ts";

export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && process.env.CI !== "true";
}

/** `answered`: what to do with each answer (the progress file keeps it). */
export function terminalAsker(answered?: Asker["answered"]): Asker {
  return {
    answered,
    async ask(question: QuestionView, write: (line: string) => void): Promise<number | null> {
      write(`? Before it is told: ${question.question}`);
      if (question.choices !== null) question.choices.forEach((c, i) => write(`    ${i + 1}. ${c.text}`));
      const prompt = question.choices !== null
        ? `  Your answer (1-${question.choices.length}, or Enter to skip): `
        : "  Your guess, a number (or Enter to skip): ";
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C while asked: the app's own SIGINT handling stops the programs and leaves.
      rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
      try {
        for (;;) {
          const typed = await rl.question(prompt);
          if (typed.trim() === "") return null;
          const answer = parseAnswer(question, typed);
          if (answer !== null) return answer;
          write(
            question.choices !== null ? `  Type a number from 1 to ${question.choices.length}.` : "  Type a number.",
          );
        }
      } finally {
        rl.close();
        process.stdin.pause();
      }
    },
  };
}
