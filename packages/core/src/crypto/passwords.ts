import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended floor (19 MiB, 2 passes). @node-rs/argon2 ships prebuilt binaries
// on npm, so installs need no compiler and no download.

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the user does not exist keeps response times alike, so timing
// does not reveal which emails have accounts.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword("bulwark-timing-equaliser");
  await verifyPassword(await dummy, password);
}
