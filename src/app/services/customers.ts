/** Customers: created once per email, looked up by email in O(1) through `CustomerByEmail`. */
import type { Redis } from "ioredis";
import { parseCustomer, serializeCustomer, type Customer } from "../../domain/customer.js";
import { CustomerExists, CustomerNotFound } from "../errors.js";
import { redisKeys } from "./redis-keys.js";

// Index and set in one atomic step: a duplicate email writes nothing, a new one writes both.
const CREATE_CUSTOMER = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[2])
return 1`;

export class Customers {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async create(customer: Customer): Promise<Customer> {
    const created = await this.#redis.eval(CREATE_CUSTOMER, 2, redisKeys.customerByEmail, redisKeys.customers, customer.email, serializeCustomer(customer));
    if (created !== 1) throw new CustomerExists(customer.email);
    return customer;
  }

  async find(email: string): Promise<Customer | null> {
    const json = await this.#redis.hget(redisKeys.customerByEmail, email);
    if (json === null) return null;
    const parsed = parseCustomer(json);
    if (!parsed.ok) throw new Error(`the stored customer ${email} does not decode: ${parsed.reason}`);
    return parsed.value;
  }

  async get(email: string): Promise<Customer> {
    const customer = await this.find(email);
    if (customer === null) throw new CustomerNotFound(email);
    return customer;
  }
}
