/**
 * Every error the app answers with on purpose: a code, a status and a message that says what to do.
 * Anything else is a bug and answers 500 with a masked message.
 */
import createError from "@fastify/error";

export const CustomerNotFound = createError("STEDI_CUSTOMER_NOT_FOUND", "No customer with email %s; create the customer first (POST /customer)", 404);
export const CustomerExists = createError("STEDI_CUSTOMER_EXISTS", "A customer with email %s already exists", 409);
export const InvalidCustomer = createError("STEDI_INVALID_CUSTOMER", "%s", 400);
export const InvalidRapidStepTest = createError("STEDI_INVALID_RAPID_STEP_TEST", "%s", 400);
export const DuplicateRapidStepTest = createError("STEDI_DUPLICATE_RAPID_STEP_TEST", "Customer %s already has a test that started at %s", 409);
export const NotEnoughTests = createError("STEDI_NOT_ENOUGH_TESTS", "%s", 409);
export const InvalidUser = createError("STEDI_INVALID_USER", "%s", 400);
export const UserExists = createError("STEDI_USER_EXISTS", "User name %s is taken; choose another", 409);
export const BadCredentials = createError("STEDI_BAD_CREDENTIALS", "Wrong user name or password", 401);
export const Unauthorized = createError(
  "STEDI_UNAUTHORIZED",
  "A valid session token is required: log in (POST /login) and send it in the suresteps.session.token header",
  401,
);
export const SaveConflict = createError("STEDI_SAVE_CONFLICT", "Tests for customer %s kept changing while this one was saved; send it again", 409);
export const CrossSiteRequest = createError(
  "STEDI_CROSS_SITE_REQUEST",
  "This request changes state and came from another site (%s); the app's own pages or an API client sending the suresteps.session.token header may",
  403,
);
export const TooManyAttempts = createError("STEDI_TOO_MANY_ATTEMPTS", "Too many attempts (%s); retry in %s s", 429);
