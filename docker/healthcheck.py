"""Container health check for the web role: GET /healthz on this container's port.

The slim image has no curl, hence Python. /healthz answers any Host header (see
apps.core.middleware.ProbeMiddleware), so no host needs to be chosen here.
"""

import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("PORT", "8000")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
