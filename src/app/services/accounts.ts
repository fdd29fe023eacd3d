/**
 * Users and their sessions, kept in the secrets db (REDIS_SECRETS_DB), which the CDC source never
 * publishes: `User:<userName>` holds the account as JSON (with the scrypt hash), `LoginToken:<sha256>`
 * maps a session token's hash to its user and expires with the session. The token itself is stored
 * nowhere, so a copy of the db gives no usable session.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { BadCredentials, UserExists } from "../errors.js";
import { hashPassword, verifyPassword } from "./passwords.js";

export interface NewUser {
  readonly userName: string;
  readonly email: string;
  readonly phone: string;
  readonly birthDate: string;
  readonly password: string;
}

export interface PublicUser {
  readonly userName: string;
  readonly email: string;
  readonly phone: string;
  readonly birthDate: string;
}

interface StoredUser extends PublicUser {
  readonly passwordHash: string;
  readonly createdAt: string;
}

export interface Session {
  readonly token: string;
  readonly userName: string;
  readonly expiresAt: string;
}

const userKey = (userName: string): string => `User:${userName}`;
const sessionKey = (token: string): string => `LoginToken:${createHash("sha256").update(token).digest("hex")}`;

export class Accounts {
  readonly #secrets: Redis;
  readonly #scryptCost: number;
  readonly #sessionTtlSeconds: number;
  /** Hashed once, verified against when the user does not exist, so timing does not tell names apart. */
  #decoyHash: Promise<string> | undefined;

  constructor(secrets: Redis, options: { scryptCost: number; sessionTtlSeconds: number }) {
    this.#secrets = secrets;
    this.#scryptCost = options.scryptCost;
    this.#sessionTtlSeconds = options.sessionTtlSeconds;
  }

  async create(user: NewUser): Promise<PublicUser> {
    const { password, ...publicUser } = user;
    const stored: StoredUser = { ...publicUser, passwordHash: await hashPassword(password, this.#scryptCost), createdAt: new Date().toISOString() };
    const created = await this.#secrets.set(userKey(user.userName), JSON.stringify(stored), "NX");
    if (created !== "OK") throw new UserExists(user.userName);
    return publicUser;
  }

  /** Creates the user unless it exists (the demo account); true when it was created. */
  async ensure(user: NewUser): Promise<boolean> {
    if ((await this.#secrets.exists(userKey(user.userName))) === 1) return false;
    try {
      await this.create(user);
      return true;
    } catch (error) {
      if (error instanceof UserExists) return false;
      throw error;
    }
  }

  /** Deletes the user if its password is still `password` (the demo account's public one); true when deleted. */
  async removeIfPassword(userName: string, password: string): Promise<boolean> {
    const raw = await this.#secrets.get(userKey(userName));
    if (raw === null || !(await verifyPassword(password, (JSON.parse(raw) as StoredUser).passwordHash))) return false;
    await this.#secrets.del(userKey(userName));
    return true;
  }

  async login(userName: string, password: string): Promise<Session> {
    const raw = await this.#secrets.get(userKey(userName));
    if (raw === null) {
      this.#decoyHash ??= hashPassword("decoy", this.#scryptCost);
      await verifyPassword(password, await this.#decoyHash);
      throw new BadCredentials();
    }
    const stored = JSON.parse(raw) as StoredUser;
    if (!(await verifyPassword(password, stored.passwordHash))) throw new BadCredentials();
    const token = randomBytes(32).toString("base64url");
    await this.#secrets.set(sessionKey(token), userName, "EX", this.#sessionTtlSeconds);
    return { token, userName, expiresAt: new Date(Date.now() + this.#sessionTtlSeconds * 1000).toISOString() };
  }

  /** The user a token belongs to, or null when it is unknown or expired. */
  async authenticate(token: string): Promise<string | null> {
    if (token === "" || token.length > 200) return null;
    return this.#secrets.get(sessionKey(token));
  }

  async logout(token: string): Promise<void> {
    await this.#secrets.del(sessionKey(token));
  }
}
