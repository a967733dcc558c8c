import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** The content type of every answer, errors included. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** An API Gateway (payload 2.0) result with a JSON body (none for a 304) and extra headers. */
export function jsonResponse(
  statusCode: number,
  body: object | undefined,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  };
}
