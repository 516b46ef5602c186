import { execFileSync } from "node:child_process";
import type { Tracker } from "../core/model.js";

/** Who `@me` is, or why that cannot be told. */
export type Me = { readonly person: string } | { readonly problem: string };

/**
 * Resolves `@me` for the person at this terminal: the `TRACKDOWN_ME` environment variable
 * (a person id, e-mail or GitHub login), else `git config user.email` matched against
 * people's `email`, else `GITHUB_ACTOR` (set in GitHub Actions) matched against `github`.
 */
export function whoAmI(
  tracker: Tracker,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Me {
  const tried: string[] = [];
  const byAny = (value: string) => {
    const v = value.trim().toLowerCase();
    return tracker.people.find(
      (p) =>
        p.id === v ||
        p.email?.toLowerCase() === v ||
        p.github?.toLowerCase() === v.replace(/^@/, ""),
    );
  };
  const explicit = env.TRACKDOWN_ME;
  if (explicit !== undefined && explicit !== "") {
    const person = byAny(explicit);
    if (person !== undefined) return { person: person.id };
    return {
      problem: `TRACKDOWN_ME is "${explicit}", which is no person's id, e-mail or GitHub login in people/.`,
    };
  }
  tried.push("TRACKDOWN_ME is not set");
  let email = "";
  try {
    email = execFileSync("git", ["config", "--get", "user.email"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    email = "";
  }
  if (email !== "") {
    const person = tracker.people.find((p) => p.email?.toLowerCase() === email.toLowerCase());
    if (person !== undefined) return { person: person.id };
    tried.push(`git's user.email ${email} is no one's email in people/`);
  } else {
    tried.push("git has no user.email here");
  }
  const actor = env.GITHUB_ACTOR;
  if (actor !== undefined && actor !== "") {
    const person = tracker.people.find((p) => p.github?.toLowerCase() === actor.toLowerCase());
    if (person !== undefined) return { person: person.id };
    tried.push(`GITHUB_ACTOR ${actor} is no one's github login`);
  }
  return { problem: `${tried.join("; ")}. Set TRACKDOWN_ME to your person id.` };
}
