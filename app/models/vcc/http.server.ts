// How the VCC routes (/api/v1/analytics/vcc and .csv) read their query: the documented schema, then the
// cross-field rules (end after start, at most 2000 buckets); a refusal is a 400 whose message is the reason.
import { customQuery } from "../../http/api-route-input.server";
import { badRequest } from "../../utils/errors.server";
import { parseVccParams, vccParamsSchema } from "./params";

export const vccQuery = customQuery(vccParamsSchema, (params) => {
  const parsed = parseVccParams(params);
  if (!parsed.success) throw badRequest(parsed.message, parsed.details);
  return parsed.query;
});
