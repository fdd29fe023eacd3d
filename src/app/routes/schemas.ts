/** JSON schemas shared by the routes: they validate input and shape every reply, so nothing else leaks. */
import { Type } from "typebox";
import { BIRTH_DAY_PATTERN, EMAIL_PATTERN } from "../../domain/customer.js";

export const Email = Type.String({ pattern: EMAIL_PATTERN, maxLength: 254, description: "The customer's email, their identity" });

export const Customer = Type.Object(
  {
    customerName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Email,
    phone: Type.String({ maxLength: 40 }),
    birthDay: Type.String({ pattern: BIRTH_DAY_PATTERN, description: "YYYY-MM-DD" }),
  }
);

export const RiskScore = Type.Object(
  {
    customer: Type.String(),
    score: Type.Number({ description: "Seconds faster than before: above zero improved, below zero declined" }),
    riskDate: Type.String({ description: "ISO-8601 UTC: stopTime of the newest test" }),
  }
);

export const RapidStepTest = Type.Object({
  startTime: Type.Integer(),
  stepPoints: Type.Optional(Type.Array(Type.Integer())),
  stopTime: Type.Integer(),
  testTime: Type.Integer(),
  totalSteps: Type.Integer(),
  customer: Customer,
});

export const ErrorReply = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    error: Type.String(),
    message: Type.String(),
  }
);

/** Every route answers its errors in the same shape. */
export const errorReplies = { "4xx": ErrorReply, "5xx": ErrorReply } as const;

export const EmailParams = Type.Object({ email: Email });
