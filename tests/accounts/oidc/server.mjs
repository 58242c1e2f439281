// A real OpenID Connect provider for the sign-in tests (npm oidc-provider), on 127.0.0.1.
// PKCE is required; its dev login form signs in any login name with any password.
// Every token request's use of a code_verifier is printed as a JSON line on stdout.
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "visionspace",
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  // Without this mapping oidc-provider drops the email and profile scopes.
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.com`, email_verified: true, name: `Test ${id}` };
      },
    };
  },
  cookies: { keys: ["visionspace-test-only"] },
  features: { devInteractions: { enabled: true } },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === "/token" && ctx.method === "POST") {
    const body = (ctx.oidc && ctx.oidc.body) || ctx.request.body || {};
    console.log(JSON.stringify({ event: "token", status: ctx.status, code_verifier: Boolean(body.code_verifier) }));
  }
});

provider.listen(port, "127.0.0.1", () => console.log(JSON.stringify({ event: "ready", issuer })));
