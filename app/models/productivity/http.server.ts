// What the productivity API routes share on top of app/http/api-route*.server.ts: the metrics range query
// (start_time, end_time, worker_id, workstation_id), refused with "Invalid query parameters" and the field problems.
import { customQuery } from "../../http/api-route-input.server";
import { parseRangeQuery } from "./metrics.server";
import { rangeQuerySchema, searchParamsObject } from "./schemas";

export const rangeQuery = customQuery(rangeQuerySchema, (params) => parseRangeQuery(searchParamsObject(params)));
