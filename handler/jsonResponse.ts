import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** The content type of every answer, errors included. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * An API Gateway (payload 2.0) result with a JSON body and extra headers. Without a body (a
 * 304) it carries no content headers: there is no content to describe (RFC 9110 §15.4.5).
 */
export function jsonResponse(
  statusCode: number,
  body: object | undefined,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  if (body === undefined) return { statusCode, headers: { ...headers }, body: "" };
  return { statusCode, headers: { "content-type": JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}
