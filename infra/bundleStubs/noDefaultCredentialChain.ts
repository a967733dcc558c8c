/**
 * Stands in for @aws-sdk/credential-provider-node inside the Lambda bundle. The handler always
 * passes the credentials Lambda puts in its environment (fromEnv), so the SDK's default chain
 * (shared config files, SSO, STS web identity, IMDS, and the nested STS/SSO clients behind them)
 * is never called there; leaving it out takes about 90 KiB off every cold start.
 */
const unavailable = () => () =>
  Promise.reject(new Error("The Lambda bundle has no default credential chain; pass credentials explicitly."));

export const defaultProvider = unavailable;
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
