export {
  startLogin,
  authorizeUrl,
  loginInProgress,
  localhostMessage,
  LoginError,
  type LoginOptions,
  type LoginResult,
  type LoginErrorCode,
} from './loopback.js';
export { exchangeCode, refreshTokens, type OAuthTokens, type TokenEndpointOptions } from './token-endpoint.js';
export { pkcePair, s256, randomState } from './pkce.js';
