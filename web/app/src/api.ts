// The clients of rectify_web's Connect API, made from the generated service
// descriptors (src/gen, from proto/): no method or field name is typed by
// hand. The session lives in an HttpOnly cookie the gateway sets at login,
// so these calls carry no token; fetch sends the cookie to our own origin.
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AuthService } from "./gen/rectify/v1/auth_service_pb";

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export const auth: Client<typeof AuthService> = createClient(AuthService, transport);
